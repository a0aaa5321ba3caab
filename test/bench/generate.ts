// Generators of large, realistic files for the benchmark. Deterministic (the same figures on
// every run): the variety comes from the index, not from a random source. Every file is one the
// real tools accept, so that their timings are of a full parse, not of an early rejection.

/** 10.0.0.0 + n, dotted. */
function ipv4(n: number): string {
  const v = (10 << 24) + n;
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function hex2(n: number): string {
  return (n & 255).toString(16).padStart(2, '0');
}

function mac(n: number): string {
  return `00:16:3e:${hex2(n >> 16)}:${hex2(n >> 8)}:${hex2(n)}`;
}

/**
 * /etc/network/interfaces with `stanzas` iface stanzas, in the article's style: routed /29 blocks
 * (address, netmask, broadcast or gateway), dummy interfaces, a dual-stack inet6 stanza now and
 * then, DHCP and manual stanzas, comments on their own lines (some indented), `allow-hotplug`.
 */
export function generateInterfaces(stanzas: number): string {
  const out: string[] = [
    '# /etc/network/interfaces -- generated for the benchmark',
    '# The loopback network interface',
    'auto lo',
    'iface lo inet loopback',
    '',
  ];
  let count = 1;
  for (let i = 0; count < stanzas; i++) {
    const base = i * 8; // one /29 per interface, like the article's 80.68.86.192/29
    const kind = i % 10;
    if (i % 25 === 0) out.push(`# --- block ${i / 25}: routed subnet ${ipv4(base)}/29 ---`);
    if (kind === 0) {
      // The host side of a routed block, kept on a dummy interface (the article's dummy0).
      out.push(`auto dummy${i}`, `iface dummy${i} inet static`);
      out.push(`    address ${ipv4(base + 1)}`, '    netmask 255.255.255.248', `    broadcast ${ipv4(base + 7)}`);
    } else if (kind === 7) {
      out.push(`allow-hotplug eth${i}`, `iface eth${i} inet dhcp`, `    hostname host${i}`);
    } else if (kind === 9) {
      out.push(`auto eth${i}`, `iface eth${i} inet manual`, `    up ip link set dev eth${i} up`, `    down ip link set dev eth${i} down`);
    } else {
      out.push(`# uplink ${i}`);
      out.push(`auto eth${i}`, `iface eth${i} inet static`);
      out.push(`    address ${ipv4(base + 2)}`);
      if (kind % 2 === 0) {
        out.push('    netmask 255.255.255.248', `    gateway ${ipv4(base + 1)}`);
      } else {
        out.push('    netmask 255.255.255.0', `    broadcast ${ipv4(base + 255)}`);
        out.push('    # the gateway is on the other uplink');
      }
      if (kind === 3) out.push(`    mtu 1500`, `    hwaddress ether ${mac(i)}`);
    }
    count++;
    if (count < stanzas && i % 5 === 1) {
      // Dual stack: an inet6 stanza for the same interface.
      out.push(`iface eth${i} inet6 static`, `    address 2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::2`, '    netmask 64');
      if (i % 10 === 1) out.push(`    gateway 2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`);
      count++;
    }
    out.push('');
  }
  return out.join('\n');
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

/**
 * xend-config.sxp with `exprs` top-level s-expressions: the known keys with varied values
 * (booleans, numbers, paths, quoted strings with escapes, scripts with arguments, the nested
 * xen-api-server list) and own-line comments. xend reads the first of duplicate keys, so a file
 * this long necessarily repeats keys: the duplicate-key check is part of what is measured.
 */
export function generateSxp(exprs: number): string {
  const out: string[] = ['# -*- sh -*-', '#', '# Xend configuration file -- generated for the benchmark', '#', ''];
  for (let i = 0; i < exprs; i++) {
    if (i % 10 === 0) out.push(`# setting group ${i / 10}`);
    const yn = i % 3 === 0 ? 'no' : 'yes';
    switch (i % 20) {
      case 0:
        out.push(`(logfile /var/log/xen/xend-${i}.log)`);
        break;
      case 1:
        out.push(`(loglevel ${LOG_LEVELS[(i >> 1) % 4]})`);
        break;
      case 2:
        out.push(`(xend-relocation-server ${yn})`);
        break;
      case 3:
        out.push(`(xend-relocation-port ${8002 + (i % 100)})`);
        break;
      case 4:
        out.push(`(xend-relocation-hosts-allow '^localhost$ ^host-${i}\\\\.example\\\\.org$')`);
        break;
      case 5:
        out.push(i % 40 === 5 ? '(network-script network-route)' : `(network-script 'network-bridge netdev=eth${i % 8} bridge=xenbr${i % 4}')`);
        break;
      case 6:
        out.push(i % 40 === 6 ? '(vif-script vif-route)' : `(vif-script 'vif-bridge bridge=xenbr${i % 4}')`);
        break;
      case 7:
        out.push(`(dom0-min-mem ${128 + (i % 512)})`);
        break;
      case 8:
        out.push(`(enable-dom0-ballooning ${yn})`);
        break;
      case 9:
        out.push(`(dom0-cpus ${i % 4})`);
        break;
      case 10:
        out.push(`(xen-api-server ((${9363 + (i % 10)} pam '^localhost$ example\\\\.com$') (unix none)))`);
        break;
      case 11:
        out.push(`(xend-unix-server ${yn})`);
        break;
      case 12:
        out.push(`(xend-address '${ipv4(i)}')`);
        break;
      case 13:
        out.push(`(console-limit ${1024 * (1 + (i % 4))})`);
        break;
      case 14:
        out.push(`(vnc-listen "${ipv4(i + 1)}")`);
        break;
      case 15:
        out.push(`(vncpasswd '')`);
        break;
      case 16:
        out.push(`(total_available_memory ${i % 16})`);
        break;
      case 17:
        out.push(`(xend-unix-path /var/lib/xend/xend-socket-${i})`);
        break;
      case 18:
        out.push(`(keymap '${['en-us', 'de', 'fr', 'en-gb'][i % 4]}')`);
        break;
      default:
        out.push(`(xend-port ${8000 + (i % 100)})`);
        break;
    }
  }
  out.push('');
  return out.join('\n');
}

/**
 * An xl domain file with `assignments` assignments: the keys of real guests (strings, numbers,
 * vif and disk lists with a trailing comma now and then, `+=`), guest after guest. xl keeps the
 * last of duplicate keys.
 */
export function generateDomain(assignments: number): string {
  const out: string[] = ['# Xen domain configuration (xl) -- generated for the benchmark', ''];
  let n = 0;
  for (let g = 0; n < assignments; g++) {
    const lines = [
      `name = "guest-${g}"`,
      `memory = ${256 << (g % 4)}`,
      `maxmem = ${512 << (g % 4)}`,
      `vcpus = ${1 + (g % 4)}`,
      'type = "pv"',
      `kernel = "/boot/vmlinuz-6.1.0-${g % 30}-amd64"`,
      `ramdisk = "/boot/initrd.img-6.1.0-${g % 30}-amd64"`,
      `extra = "root=/dev/xvda1 console=hvc0${g % 2 ? ' quiet' : ''}"`,
      `vif = [ 'ip=${ipv4(g * 8 + 2)},mac=${mac(g)}', 'ip=${ipv4(g * 8 + 3)},mac=${mac(g + 1)},bridge=xenbr0'${g % 3 === 0 ? ',' : ''} ]`,
      `disk = [ 'phy:/dev/vg/guest-${g}-disk,xvda1,w', 'file:/srv/xen/guest-${g}-swap.img,xvda2,w' ]`,
      `on_poweroff = "destroy"`,
      `on_reboot = "restart"`,
      `on_crash = "${g % 2 ? 'restart' : 'preserve'}"`,
      `cpus = "${g % 2}-${1 + (g % 2)}"`,
      g % 5 === 0 ? `vif += [ 'ip=${ipv4(g * 8 + 4)},script=vif-route' ]` : `cpu_weight = ${128 * (1 + (g % 4))}`,
    ];
    out.push(`# guest ${g}`);
    for (const l of lines) {
      if (n >= assignments) break;
      out.push(l);
      n++;
    }
    out.push('');
  }
  return out.join('\n');
}
