// The answers' validators: plain-words refusals, and acceptance of what a real host uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  guestCapacity,
  validateAnswers,
  validateCidr,
  validateField,
  validateGatewayAddress,
  validateGuestName,
  validateGuestNames,
  validateInterfaceName,
  validateToolstack,
} from '../../../server/src/generate/validate';

test('CIDR: the article block and other sizes are accepted', () => {
  for (const c of ['80.68.86.192/29', '10.0.0.0/24', '192.0.2.0/30', ' 203.0.113.0/28 ']) assert.equal(validateCidr(c), undefined, c);
});

test('CIDR: /31 and /32 are refused, and the message says why', () => {
  const m31 = validateCidr('80.68.86.192/31')!;
  assert.match(m31, /\/31/);
  assert.match(m31, /two addresses/);
  assert.match(m31, /\/30 or larger/);
  const m32 = validateCidr('80.68.86.193/32')!;
  assert.match(m32, /single address/);
  assert.match(m32, /no address would be left for a guest/);
});

test('CIDR: no prefix, not an address, host bits, huge blocks, not a string', () => {
  assert.match(validateCidr('80.68.86.192')!, /no prefix length/);
  assert.match(validateCidr('80.68.86.300/29')!, /not an IPv4 subnet/);
  assert.match(validateCidr('dummy')!, /not an IPv4 subnet/);
  assert.match(validateCidr('80.68.86.194/29')!, /starts at 80\.68\.86\.192.*Write 80\.68\.86\.192\/29/);
  assert.match(validateCidr('10.0.0.0/4')!, /far larger/);
  assert.match(validateCidr('')!, /address\/prefix/);
  assert.match(validateCidr(42)!, /address\/prefix/);
  assert.match(validateCidr('1.2.3.0/33')!, /not an IPv4 subnet/);
});

test('interface names', () => {
  for (const n of ['dummy0', 'eth0', 'br-routed', 'vlan.10']) assert.equal(validateInterfaceName(n), undefined, n);
  assert.match(validateInterfaceName('averyveryverylongname')!, /15 characters/);
  assert.match(validateInterfaceName('dum my')!, /spaces/);
  assert.match(validateInterfaceName('eth0:1')!, /':'/);
  assert.match(validateInterfaceName('a/b')!, /'\/'/);
  assert.match(validateInterfaceName('lo')!, /loopback/);
  assert.match(validateInterfaceName('é0')!, /characters/);
  assert.match(validateInterfaceName('')!, /dummy0/);
  assert.match(validateInterfaceName(undefined)!, /dummy0/);
});

test('gateway address: inside the block, not its network or broadcast address', () => {
  const cidr = '80.68.86.192/29';
  assert.equal(validateGatewayAddress('80.68.86.193', cidr), undefined);
  assert.equal(validateGatewayAddress('80.68.86.198', cidr), undefined);
  assert.match(validateGatewayAddress('80.68.86.200', cidr)!, /outside 80\.68\.86\.192\/29/);
  assert.match(validateGatewayAddress('80.68.86.192', cidr)!, /network address/);
  assert.match(validateGatewayAddress('80.68.86.199', cidr)!, /broadcast address.*80\.68\.86\.193 to 80\.68\.86\.198/);
  assert.match(validateGatewayAddress('80.68.86', cidr)!, /not an IPv4 address/);
  // with an unusable block, only the address's own form is checked (the block is reported on its field)
  assert.equal(validateGatewayAddress('10.0.0.1', '80.68.86.192/31'), undefined);
});

test('guest names: xl domain names that also make file names', () => {
  for (const n of ['vm1', 'web-1', 'db_2', 'a.b', '1st']) assert.equal(validateGuestName(n), undefined, n);
  assert.match(validateGuestName('123')!, /all digits.*domain id/);
  assert.match(validateGuestName('Domain-0')!, /dom0/);
  assert.match(validateGuestName('-vm')!, /start with a letter or a digit/);
  assert.match(validateGuestName('my vm')!, /characters/);
  assert.match(validateGuestName('vm/1')!, /characters/);
  assert.match(validateGuestName('x'.repeat(65))!, /too long/);
  assert.match(validateGuestName('')!, /needs a name/);
});

test('guest lists: unique names, no more guests than free addresses', () => {
  assert.equal(validateGuestNames(['vm1', 'vm2'], 5), undefined);
  assert.equal(validateGuestNames([], 0), undefined);
  assert.match(validateGuestNames(['vm1', 'vm1'], 5)!, /given twice/);
  assert.match(validateGuestNames(['vm1', '9'], 5)!, /all digits/);
  assert.match(validateGuestNames(['a', 'b', 'c'], 2)!, /3 guests but only 2 free addresses/);
  assert.match(validateGuestNames(['a', 'b'], 1)!, /only 1 free address in/);
  assert.match(validateGuestNames('vm1')!, /list/);
});

test('validateField dispatches by field and reads the other answers', () => {
  assert.equal(guestCapacity('80.68.86.192/29'), 5);
  assert.equal(guestCapacity('192.0.2.0/30'), 1);
  assert.equal(validateField('cidr', '80.68.86.192/29'), undefined);
  assert.match(validateField('cidr', '80.68.86.192/31')!, /\/31/);
  assert.match(validateField('gatewayAddress', '80.68.86.100', { cidr: '80.68.86.192/29' })!, /outside/);
  assert.match(validateField('guests', ['a', 'b'], { cidr: '192.0.2.0/30' })!, /2 guests but only 1 free address/);
  assert.match(validateField('guests', ['a', 'b'], { cidr: '80.68.86.192/29' }, 1)!, /only 1 free/);
  assert.equal(validateField('guest', 'vm3'), undefined);
  assert.match(validateField('gatewayInterface', 'a b')!, /spaces/);
  assert.match(validateField('nonsense', 'x')!, /Unknown field/);
  assert.equal(validateToolstack('xl'), undefined);
  assert.match(validateToolstack('xm')!, /xend/);
});

test('validateAnswers: the first problem and its field; defaults fill the optional answers', () => {
  assert.equal(validateAnswers({ cidr: '80.68.86.192/29', toolstack: 'xend', guests: ['vm1'] }), undefined);
  assert.deepEqual(validateAnswers({ cidr: '80.68.86.192/32', toolstack: 'xend', guests: [] })?.field, 'cidr');
  assert.deepEqual(validateAnswers({ cidr: '80.68.86.192/29', toolstack: 'xm' as never, guests: [] })?.field, 'toolstack');
  assert.deepEqual(validateAnswers({ cidr: '80.68.86.192/29', toolstack: 'xl', gatewayAddress: '80.68.86.199', guests: [] })?.field, 'gatewayAddress');
  assert.deepEqual(validateAnswers(undefined)?.field, 'cidr');
});
