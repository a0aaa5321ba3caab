// What a running host says of its network, read without changing anything: one fixed sh script,
// the same for every host (nothing of a file, a setting or the user is put into it), run with
// `sh -s` on this machine or over ssh (apply/ssh.ts: the script on ssh's standard input).
//
// Its output is made of sections:
//
//     ==xen-live== <name> [<domid>]
//     <what the command printed, its errors too>
//     ==xen-live-end== <the command's exit status>
//
// Every command only reads: ip -br addr, ip -br link, ip route, lsmod (or /proc/modules), whether
// /sys/module/dummy exists (a dummy module built into the kernel shows there, not in lsmod),
// sysctl net.ipv4.ip_forward, and where xl is installed `xl list` and `xl network-list` of each
// running domain but Domain-0 (xl needs root: over ssh the script runs under `sudo -n` when the
// host entry says sudo). The domain names come from xl itself and are passed quoted.
import { MAX_DOMAINS } from './parse';

export const LIVE_HEAD = '==xen-live== ';
export const LIVE_END = '==xen-live-end== ';

export const LIVE_SCRIPT = [
  '# xen-network: read the running network (generated; changes nothing)',
  'LC_ALL=C; export LC_ALL',
  'PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH',
  `sec() { printf '${LIVE_HEAD}%s\\n' "$*"; }`,
  `end() { printf '\\n${LIVE_END}%s\\n' "$1"; }`,
  'sec addr; ip -br addr 2>&1; end $?',
  'sec link; ip -br link 2>&1; end $?',
  'sec route; ip route 2>&1; end $?',
  'if command -v lsmod >/dev/null 2>&1 && [ -r /proc/modules ]; then sec lsmod; lsmod 2>&1; end $?',
  'elif [ -r /proc/modules ]; then sec lsmod; cat /proc/modules 2>&1; end $?',
  'else sec lsmod; echo "neither lsmod nor /proc/modules can be read here"; end 127; fi',
  'sec sys-module; if [ -d /sys/module/dummy ]; then echo dummy; fi; end 0',
  'sec sysctl; sysctl net.ipv4.ip_forward 2>&1; end $?',
  'if command -v xl >/dev/null 2>&1; then',
  '  l=$(xl list 2>&1); r=$?',
  '  sec xl-list; printf "%s" "$l"; end $r',
  '  if [ "$r" = 0 ]; then',
  '    n=0',
  '    printf "%s\\n" "$l" | while read -r name id _; do',
  '      case $id in ""|*[!0-9]*) continue ;; esac',
  '      [ "$id" = 0 ] && continue',
  `      n=$((n + 1)); [ "$n" -gt ${MAX_DOMAINS} ] && break`,
  '      sec xl-network-list "$id"; xl network-list "$name" 2>&1; end $?',
  '    done',
  '  fi',
  'else',
  '  sec xl-absent; end 0',
  'fi',
  'exit 0',
  '',
].join('\n');
