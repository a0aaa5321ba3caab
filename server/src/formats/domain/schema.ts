// What the keys of a domain file mean, in our own words: type, default, which toolstack reads
// them, and a description for hovers and completion. Facts follow xl.cfg(5), xl.conf(5),
// xl-network-configuration(5) and xm's create.py (Xen 4.4.4), summed up in ../shared/reference.
//
// Sources of the key list (which toolstack reads a key):
// - xl: Xen 4.17, tools/xl/xl_parse.c (parse_config_data: every xlu_cfg_get_* name) with the
//   types of tools/libs/light/libxl_types.idl; the vif items from parse_nic_config.
// - xm: Xen 4.4.4, tools/python/xen/xm/create.py (every gopts.var; the vif items accepted by
//   configure_vifs: backend, bridge, ip, mac, script, type, vifname, rate, model, accel, policy,
//   label — any other makes xm stop with "Invalid vif option").

export type KeyType = 'string' | 'number' | 'memory' | 'boolean' | 'list' | 'string-or-list' | 'action' | 'enum' | 'any';
/** Who reads a key: both toolstacks, only xl, only xm, or xl.conf (xl's global settings file). */
export type Toolstacks = 'both' | 'xl' | 'xm' | 'xl.conf';

export interface KeyInfo {
  name: string;
  type: KeyType;
  toolstack: Toolstacks;
  description: string;
  default?: string;
  values?: string[];
  /** The key's newer name, when this one is kept only for old files. */
  replacedBy?: string;
}

export const ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset'];

const K = (name: string, type: KeyType, toolstack: Toolstacks, description: string, extra: Partial<KeyInfo> = {}): KeyInfo => ({
  name,
  type,
  toolstack,
  description,
  ...extra,
});

const list: KeyInfo[] = [
  // Identity and size
  K('name', 'string', 'both', 'The name of the guest; `xl list` shows it and commands take it to pick the domain. Must be unique on the host.'),
  K('uuid', 'string', 'both', 'A fixed UUID for the guest (otherwise a random one is made at each start).'),
  K('memory', 'memory', 'both', 'Memory given to the guest when it starts, in MiB (a plain number, no unit).', { default: '128' }),
  K('maxmem', 'memory', 'both', 'The most memory the guest may grow to by ballooning, in MiB. Defaults to `memory`.'),
  K('vcpus', 'number', 'both', 'Number of virtual CPUs the guest starts with.', { default: '1' }),
  K('maxvcpus', 'number', 'xl', 'Number of virtual CPUs the guest may have (more than `vcpus` lets CPUs be hot-plugged).'),
  K('vcpu_avail', 'number', 'xm', 'A bit mask of the virtual CPUs that are on at start (xm).'),
  K('cpus', 'string-or-list', 'both', 'Which physical CPUs the guest\'s virtual CPUs may run on, e.g. `"0-3,^1"` or a list per vCPU.'),
  K('cpus_soft', 'string-or-list', 'xl', 'Preferred physical CPUs (soft affinity) for the virtual CPUs.'),
  K('cpu_weight', 'number', 'both', 'Share of CPU time under the credit scheduler, relative to other guests.', { default: '256' }),
  K('cpu_cap', 'number', 'xm', "xm's upper limit of CPU use in percent of one physical CPU (0 = no limit); xl reads `cap`.", { default: '0' }),
  K('pool', 'string', 'both', 'The CPU pool the guest is put in.'),
  // Booting
  K('type', 'enum', 'xl', 'The kind of guest: `pv` (paravirtualised), `pvh`, or `hvm` (fully virtualised).', {
    default: 'pv (or hvm when builder says so)',
    values: ['pv', 'pvh', 'hvm'],
  }),
  K('builder', 'enum', 'both', "xm's name for the guest kind: `linux` (paravirtualised) or `hvm`. xl still reads it but prefers `type`.", {
    default: 'linux',
    values: ['linux', 'hvm', 'generic'],
    replacedBy: 'type',
  }),
  K('kernel', 'string', 'both', 'Path, in dom0, of the kernel the guest boots (PV and PVH), or of hvmloader for old xm HVM files.'),
  K('ramdisk', 'string', 'both', 'Path, in dom0, of the initial ramdisk loaded with the kernel.'),
  K('extra', 'string', 'both', "Text appended to the guest kernel's command line."),
  K('root', 'string', 'both', "The guest kernel's root device, put on its command line as `root=`."),
  K('cmdline', 'string', 'xl', 'The whole guest kernel command line (replaces `root` and `extra`).'),
  K('bootloader', 'string', 'both', "A program run in dom0 to pick the kernel from the guest's own disk, such as `pygrub`."),
  K('bootloader_args', 'string-or-list', 'both', 'Arguments passed to the bootloader.'),
  K('bootargs', 'string', 'xm', "Arguments passed to the bootloader (xm's name)."),
  K('firmware', 'string', 'xl', 'Firmware to boot: `bios`, `uefi`, `ovmf`, `seabios`, `pvgrub32`, `pvgrub64`, or a path.'),
  K('bios', 'enum', 'xl', 'The BIOS of an HVM guest.', { values: ['rombios', 'seabios', 'ovmf'] }),
  K('boot', 'string', 'both', 'HVM boot order: letters `c` (hard disk), `d` (CD-ROM), `n` (network).', { default: 'cd' }),
  K('device_tree', 'string', 'xl', 'A device tree blob given to an ARM guest.'),
  // Devices
  K('disk', 'list', 'both', "The guest's disks: a list of disk specs such as `'phy:/dev/vg/vm1,xvda,w'` or `'format=raw,vdev=xvda,access=rw,target=/path'`."),
  K(
    'vif',
    'list',
    'both',
    "The guest's network interfaces (vifs): one string per card, each a comma-separated list of `key=value` such as `'ip=80.68.86.194,mac=00:16:3e:00:00:01,bridge=xenbr0'`. The host side is set up by the vif script (vif-bridge, vif-route, vif-nat). `''` gives one card with defaults.",
  ),
  K('vif2', 'list', 'xm', 'Netchannel2 network interfaces (xm only).'),
  K('nics', 'number', 'xm', 'Old xm setting: the number of network cards when `vif` does not list them.'),
  K('pci', 'list', 'both', "PCI devices passed through to the guest, as `'BB:DD.F'` specs."),
  K('vfb', 'list', 'both', "Virtual frame buffers (graphical console of a PV guest), e.g. `[ 'vnc=1' ]`."),
  K('vkb', 'list', 'xl', 'Virtual keyboards.'),
  K('vtpm', 'list', 'both', 'Virtual TPM devices.'),
  K('vscsi', 'list', 'both', 'SCSI devices passed to the guest.'),
  K('channel', 'list', 'xl', 'Virtual channels between the guest and dom0 (named sockets or files).'),
  K('p9', 'list', 'xl', '9pfs file-system shares.'),
  K('usbctrl', 'list', 'xl', 'USB controllers of the guest.'),
  K('usbdev', 'list', 'xl', 'USB devices passed to the guest.'),
  K('dtdev', 'list', 'xl', 'Device-tree nodes passed through (ARM).'),
  K('irqs', 'list', 'xl', 'Physical interrupts given to the guest.'),
  K('irq', 'list', 'xm', "Physical interrupts given to the guest (xm's name)."),
  K('ioports', 'string-or-list', 'both', 'I/O port ranges given to the guest.'),
  K('iomem', 'string-or-list', 'both', 'Machine memory pages given to the guest.'),
  // Kernel IP settings of xm (fed into the guest kernel's ip= argument)
  K(
    'ip',
    'string',
    'xm',
    "xm only: the guest's IP address, put on the guest kernel's command line (`ip=`) for kernels that configure the network at boot. xl ignores it; give the address in `vif` (`ip=`) and in the guest.",
  ),
  K('gateway', 'string', 'xm', "xm only: the default gateway for the guest kernel's `ip=` argument. xl ignores it."),
  K('netmask', 'string', 'xm', "xm only: the netmask for the guest kernel's `ip=` argument. xl ignores it."),
  K('hostname', 'string', 'xm', "xm only: the host name for the guest kernel's `ip=` argument. xl ignores it."),
  K('interface', 'string', 'xm', "xm only: the guest interface named in the kernel's `ip=` argument.", { default: 'eth0' }),
  K('dhcp', 'string', 'xm', 'xm only: `"dhcp"` makes the guest kernel get its address by DHCP (in `ip=`); `"off"` uses `ip`, `netmask` and `gateway`.', {
    values: ['dhcp', 'off'],
  }),
  K('nfs_server', 'string', 'xm', 'xm only: the NFS server of an NFS-root guest.'),
  K('nfs_root', 'string', 'xm', 'xm only: the exported path of an NFS root.'),
  // Events
  K('on_poweroff', 'action', 'both', 'What to do when the guest powers off.', { default: 'destroy', values: ACTIONS }),
  K('on_reboot', 'action', 'both', 'What to do when the guest reboots.', { default: 'restart', values: ACTIONS }),
  K('on_crash', 'action', 'both', 'What to do when the guest crashes.', { default: 'destroy', values: ACTIONS }),
  K('on_watchdog', 'action', 'xl', "What to do when the guest's watchdog fires.", { default: 'destroy', values: ACTIONS }),
  K('on_soft_reset', 'action', 'xl', 'What to do on a soft reset of the guest.', { default: 'soft-reset', values: ACTIONS }),
  K('on_xend_start', 'enum', 'xm', 'What xend does with the guest when xend starts.', { values: ['ignore', 'start'] }),
  K('on_xend_stop', 'enum', 'xm', 'What xend does with the guest when xend stops.', { values: ['ignore', 'shutdown', 'suspend'] }),
  // HVM and platform
  K('acpi', 'boolean', 'both', 'Give an HVM guest ACPI (needed for clean shutdown).', { default: '1' }),
  K('acpi_s3', 'boolean', 'both', 'Offer the S3 sleep state to an HVM guest.', { default: '1' }),
  K('acpi_s4', 'boolean', 'both', 'Offer the S4 sleep state to an HVM guest.', { default: '1' }),
  K('apic', 'boolean', 'both', 'Give an HVM guest a local APIC.', { default: '1' }),
  K('pae', 'boolean', 'both', 'Give an HVM guest PAE (needed for 64-bit and for more than 4 GiB).', { default: '1' }),
  K('hap', 'boolean', 'both', 'Use hardware-assisted paging when the CPU has it.', { default: '1' }),
  K('nestedhvm', 'boolean', 'both', 'Let the HVM guest run its own hypervisor.', { default: '0' }),
  K('viridian', 'any', 'both', 'Hyper-V enlightenments for Windows guests (0/1 or a list of groups).', { default: '0' }),
  K('hpet', 'boolean', 'both', 'Give an HVM guest an HPET timer.', { default: '1' }),
  K('timer_mode', 'any', 'both', 'How virtual timers catch up after the guest was not running.'),
  K('vpt_align', 'boolean', 'both', 'Align virtual periodic timers to save power.', { default: '1' }),
  K('localtime', 'boolean', 'both', "The guest's clock is in local time, not UTC.", { default: '0' }),
  K('rtc_timeoffset', 'number', 'both', "Seconds added to the guest's clock.", { default: '0' }),
  K('tsc_mode', 'any', 'both', 'How the guest sees the time-stamp counter.', { default: 'default' }),
  K('shadow_memory', 'memory', 'both', 'MiB of memory reserved for shadow page tables.'),
  K('videoram', 'memory', 'both', 'MiB of video memory of an HVM guest.'),
  K('stdvga', 'boolean', 'both', 'Emulate a standard VGA card instead of a Cirrus one.', { default: '0' }),
  K('vga', 'enum', 'xl', 'The emulated graphics card.', { values: ['stdvga', 'cirrus', 'qxl', 'none'] }),
  K('vnc', 'boolean', 'both', 'Give the guest a VNC console.', { default: '1' }),
  K('vnclisten', 'string', 'both', 'Address the VNC server listens on.', { default: '127.0.0.1' }),
  K('vncdisplay', 'number', 'both', 'VNC display number (port 5900 + this number).'),
  K('vncunused', 'boolean', 'both', 'Pick the first free VNC display.', { default: '1' }),
  K('vncpasswd', 'string', 'both', 'Password of the VNC console.'),
  K('vncconsole', 'boolean', 'both', 'Start a VNC viewer when the guest starts.', { default: '0' }),
  K('keymap', 'string', 'both', 'Keyboard layout of the VNC or SDL console, e.g. `"en-us"`.'),
  K('sdl', 'boolean', 'both', 'Show the console in an SDL window.', { default: '0' }),
  K('opengl', 'boolean', 'both', 'Use OpenGL in the SDL window.', { default: '0' }),
  K('nographic', 'boolean', 'both', 'No graphics console at all.', { default: '0' }),
  K('monitor', 'boolean', 'xm', "Give access to the device model's monitor.", { default: '0' }),
  K('serial', 'string-or-list', 'both', 'Where the HVM guest\'s serial port goes, e.g. `"pty"`.'),
  K('parallel', 'string', 'xm', "Where the HVM guest's parallel port goes."),
  K('soundhw', 'string', 'both', 'Emulated sound cards.'),
  K('usb', 'boolean', 'both', 'Give the HVM guest an emulated USB controller.', { default: '0' }),
  K('usbdevice', 'string-or-list', 'both', 'Emulated USB devices, e.g. `"tablet"`.'),
  K('usbversion', 'number', 'xl', 'Version of the emulated USB controller.'),
  K(
    'device_model',
    'string',
    'xm',
    'Path of the device model (qemu-dm) of an HVM guest (xm). xl reads it only to say it ignores it (use device_model_override).',
  ),
  K('device_model_version', 'enum', 'xl', 'Which QEMU provides the emulated devices.', { values: ['qemu-xen', 'qemu-xen-traditional'] }),
  K('device_model_override', 'string', 'xl', 'Path of the device model binary to use instead of the default.'),
  K('device_model_args', 'list', 'xl', 'Extra arguments for the device model.'),
  K('device_model_stubdomain_override', 'boolean', 'xl', 'Run the device model in a stub domain.'),
  K('xen_platform_pci', 'boolean', 'both', 'Give the HVM guest the Xen platform PCI device (needed for PV drivers).', { default: '1' }),
  K('gfx_passthru', 'any', 'both', "Pass the host's graphics card through as the guest's primary card.", { default: '0' }),
  K('pci_msitranslate', 'boolean', 'both', 'Translate MSI interrupts of passed-through PCI devices.', { default: '1' }),
  K('pci_power_mgmt', 'boolean', 'both', 'Allow power management of passed-through PCI devices.', { default: '0' }),
  K('pci_permissive', 'boolean', 'xl', 'Let the guest write any PCI configuration space register.', { default: '0' }),
  K('pci_seize', 'boolean', 'xl', 'Take PCI devices from dom0 when starting the guest.', { default: '0' }),
  K('e820_host', 'boolean', 'xl', "Use the host's memory map for a PV guest with PCI passthrough.", { default: '0' }),
  K('cpuid', 'any', 'both', 'CPUID bits shown to the guest.'),
  K('cpuid_check', 'any', 'xm', 'CPUID bits checked before starting the guest.'),
  K('memory_sharing', 'boolean', 'xm', 'Allow memory pages to be shared between guests.', { default: '0' }),
  K('xen_extended_power_mgmt', 'number', 'xm', 'Power-management features exposed to the HVM guest.'),
  K('guest_os_type', 'string', 'xm', 'The operating system of the HVM guest (hints for the device model).'),
  K('snapshot', 'boolean', 'xm', 'Discard disk writes when the guest stops (device model snapshot mode).'),
  K('isa', 'boolean', 'xm', 'Emulate an ISA-only machine.'),
  K('vhpt', 'number', 'xm', 'Size of the VHPT (ia64).'),
  K('features', 'string', 'xm', 'Guest kernel features to enable (xm).'),
  K('superpages', 'boolean', 'xm', 'Back the guest with superpages.'),
  K('s3_integrity', 'boolean', 'xm', "Protect the guest's memory integrity across S3 (Intel TXT)."),
  K('machine_address_size', 'number', 'xm', 'Limit of machine address width for the guest.'),
  K('security', 'any', 'xm', "Access-control label of the guest (xm's ACM)."),
  K('access_control', 'list', 'xm', 'Access-control policy and label of the guest.'),
  K('seclabel', 'string', 'xl', 'The XSM/Flask security label of the guest.'),
  K('init_seclabel', 'string', 'xl', 'The XSM/Flask label used while the guest is being built.'),
  K('device_model_stubdomain_seclabel', 'string', 'xl', 'The XSM/Flask label of the stub domain.'),
  K('blkif', 'boolean', 'xm', 'The guest is a block-device backend domain.'),
  K('netif', 'boolean', 'xm', 'The guest is a network backend domain.'),
  K('tpmif', 'boolean', 'xm', 'The guest is a TPM backend domain.'),
  K('driver_domain', 'boolean', 'xl', 'The guest serves devices to other guests (a driver domain).', { default: '0' }),
  K('display', 'string', 'both', 'X11 display used by the SDL console.'),
  K('xauthority', 'string', 'both', 'X authority file for the SDL console.'),
  K('localtime_offset', 'number', 'xm', 'Offset of the guest clock (xm).'),
  K('max_grant_frames', 'number', 'both', 'Most grant-table frames the guest may use.'),
  K('max_maptrack_frames', 'number', 'both', 'Most maptrack frames the guest may use.'),
  K('max_event_channels', 'number', 'xl', 'Most event channels the guest may use.', { default: '1023' }),
  K('nomigrate', 'boolean', 'xl', 'The guest may not be migrated.', { default: '0' }),
  K('claim_mode', 'boolean', 'both', "Claim all the guest's memory from Xen at once before building it (also an xl.conf setting)."),
  K('passthrough', 'enum', 'xl', 'How the IOMMU is set up for passed-through devices.', { values: ['disabled', 'enabled', 'sync_pt', 'share_pt', 'default'] }),
  K('altp2m', 'enum', 'xl', 'Alternate physical-to-machine views.', { values: ['disabled', 'mixed', 'external', 'limited'] }),
  K('vnuma', 'list', 'xl', 'Virtual NUMA layout of the guest.'),
  K('rdm', 'string', 'xl', 'Reserved device memory policy.'),
  K('rdm_mem_boundary', 'memory', 'xl', 'Boundary for reserved device memory, in MiB.'),
  K('mmio_hole', 'memory', 'xl', 'Size of the MMIO hole below 4 GiB, in MiB.'),
  K('smbios_firmware', 'string', 'xl', 'File of SMBIOS structures given to the HVM guest.'),
  K('acpi_firmware', 'string', 'xl', 'File of extra ACPI tables given to the HVM guest.'),
  K('ms_vm_genid', 'string', 'xl', 'Microsoft VM generation ID (`"generate"` or `"none"`).'),
  K('spice', 'boolean', 'xl', 'Give the guest a SPICE console.', { default: '0' }),
  K('spicehost', 'string', 'xl', 'Address the SPICE server listens on.'),
  K('spiceport', 'number', 'xl', 'Port of the SPICE server.'),
  K('spicetls_port', 'number', 'xl', 'TLS port of the SPICE server.'),
  K('spicedisable_ticketing', 'boolean', 'xl', 'No password for SPICE.'),
  K('spicepasswd', 'string', 'xl', 'SPICE password.'),
  K('spiceagent_mouse', 'boolean', 'xl', 'Use the SPICE agent for the mouse.'),
  K('gic_version', 'string', 'xl', 'GIC version of an ARM guest.'),
  K('tee', 'string', 'xl', 'Trusted execution environment mediator (ARM).'),
  K('vpmu', 'boolean', 'xl', 'Give the guest virtual performance counters.'),
  K('vkb_device', 'boolean', 'xl', 'Give an HVM guest a virtual keyboard device.'),
  K('dm_restrict', 'boolean', 'xl', 'Run the device model with fewer privileges.', { default: '0' }),
  K('device_model_user', 'string', 'xl', 'User the device model runs as.'),
  K('max_grant_version', 'number', 'both', 'Highest grant-table version the guest may use (also an xl.conf setting).'),
  K('featureflags', 'string', 'xl', 'Feature flags of a guest.'),
  K('trap_unmapped_accesses', 'boolean', 'xl', 'Trap accesses to unmapped memory (ARM).'),
  K('max_altp2m', 'number', 'xl', 'Most altp2m views.'),
  K('vsnd', 'list', 'xl', 'Virtual sound cards.'),
  K('vdispl', 'list', 'xl', 'Virtual displays.'),
  K('virtio', 'list', 'xl', 'Virtio devices (ARM).'),
  K('mca_caps', 'list', 'xl', 'Machine-check capabilities of an HVM guest.'),
  K('cpu', 'number', 'xm', 'Old xm setting: the physical CPU for the first virtual CPU.'),
  // ---- Further keys xl 4.17 reads (tools/xl/xl_parse.c, parse_config_data, and the option
  // names of libxl_types.idl it fills). Checked against that source of the 4.15–4.17 series.
  K('oos', 'boolean', 'both', 'Out-of-sync shadow page tables (0 turns them off).', { default: '1' }),
  K('cap', 'number', 'xl', "Upper limit of CPU use in percent of one physical CPU under the credit scheduler (0 = no limit); xl's name for xm's `cpu_cap`.", {
    default: '0',
  }),
  K('period', 'number', 'xl', 'Scheduling period in ms (RTDS and old sedf schedulers).'),
  K('slice', 'number', 'xl', 'Scheduling slice in ms (sedf scheduler).'),
  K('latency', 'number', 'xl', 'Scheduling latency in ms (sedf scheduler).'),
  K('extratime', 'boolean', 'xl', 'The guest may use idle CPU time beyond its share (RTDS, sedf).'),
  K('pvshim', 'boolean', 'xl', 'Run a PV guest inside a PVH shim.', { default: '0' }),
  K('pvshim_path', 'string', 'xl', 'Path of the PV shim.'),
  K('pvshim_cmdline', 'string', 'xl', 'Command line of the PV shim.'),
  K('pvshim_extra', 'string', 'xl', "Text appended to the PV shim's command line."),
  K('vuart', 'string', 'xl', 'A virtual UART for an ARM guest (`"sbsa_uart"`).'),
  K('firmware_override', 'string', 'xl', 'Path of the HVM firmware (hvmloader) to use instead of the default.'),
  K('bios_path_override', 'string', 'xl', 'Path of the BIOS image to use instead of the default.'),
  K('acpi_laptop_slate', 'boolean', 'xl', 'Give an HVM guest the ACPI laptop/slate switch.', { default: '0' }),
  K('nx', 'boolean', 'xl', 'Show the guest the no-execute bit of the CPU.', { default: '1' }),
  K('altp2mhvm', 'boolean', 'xl', 'Old name of `altp2m` for HVM guests.', { replacedBy: 'altp2m' }),
  K('vmtrace_buf_kb', 'number', 'xl', 'Size in KiB of the per-vCPU trace buffer (Intel Processor Trace).'),
  K('pvcalls', 'list', 'xl', 'PV calls backends of the guest.'),
  K('stubdomain_kernel', 'string', 'xl', 'Kernel of the device-model stub domain.'),
  K('stubdomain_ramdisk', 'string', 'xl', 'Ramdisk of the device-model stub domain.'),
  K('stubdomain_memory', 'memory', 'xl', 'Memory of the device-model stub domain, in MiB.'),
  K('device_model_args_pv', 'list', 'xl', 'Extra arguments for the device model of a PV guest.'),
  K('device_model_args_hvm', 'list', 'xl', 'Extra arguments for the device model of an HVM guest.'),
  K('hdtype', 'enum', 'xl', 'The emulated disk controller of an HVM guest.', { values: ['ide', 'ahci'], default: 'ide' }),
  K('spicevdagent', 'boolean', 'xl', 'Enable the SPICE vdagent channel (clipboard, resolution).', { default: '0' }),
  K('spice_clipboard_sharing', 'boolean', 'xl', 'Share the clipboard through SPICE (needs spicevdagent).', { default: '0' }),
  K('spiceusbredirection', 'number', 'xl', 'Number of SPICE USB redirection channels.'),
  K('spice_image_compression', 'string', 'xl', 'SPICE image compression.'),
  K('spice_streaming_video', 'string', 'xl', 'SPICE video streaming mode.'),
  K('vendor_device', 'string', 'xl', 'A vendor PCI device for the HVM guest (`"xenserver"`).'),
  K('xend_suspend_evtchn_compat', 'boolean', 'xl', 'Suspend event channel as xend published it (for guests restored from xend).'),
  K('msr_relaxed', 'boolean', 'xl', 'Relaxed access to unhandled MSRs (x86).'),
  K('vncviewer', 'any', 'both', 'xm: start a VNC viewer; xl reads it only to say it is ignored (use `xl create -V`).'),
  // ---- Further variables xm 4.4.4 reads (tools/python/xen/xm/create.py, gopts.var).
  K('bootentry', 'string', 'xm', 'Old xm setting: the entry the bootloader boots (use bootargs).'),
  K('loader', 'string', 'xm', 'Path of the HVM firmware (xm).'),
  K('restart', 'enum', 'xm', 'Old xm setting: whether the guest restarts on exit (use on_poweroff, on_reboot, on_crash).', {
    values: ['onreboot', 'always', 'never'],
  }),
  K('vusb', 'list', 'xm', 'Virtual USB host controllers (xm).'),
  K('fda', 'string', 'xm', 'Image of the first floppy drive of an HVM guest (xm).'),
  K('fdb', 'string', 'xm', 'Image of the second floppy drive of an HVM guest (xm).'),
  K('monitor_path', 'string', 'xm', "Path of the device model's monitor (xm)."),
  K('description', 'string', 'xm', 'A description of the guest (xm).'),
  K('target', 'number', 'xm', 'The domain this one serves as device model (xm stub domains).'),
  K('suppress_spurious_page_faults', 'boolean', 'xm', 'Do not inject spurious page faults into the guest (xm).'),
  // xl.conf: xl's own settings
  K(
    'autoballoon',
    'any',
    'xl.conf',
    'xl.conf: whether xl shrinks dom0\'s memory to make room for a new guest: `"on"`, `"off"` or `"auto"` (off when dom0_mem is given to Xen).',
    { default: '"auto"' },
  ),
  K('run_hotplug_scripts', 'boolean', 'xl.conf', 'xl.conf: xl runs the vif and block hotplug scripts itself (1) rather than udev (0).', { default: '1' }),
  K('lockfile', 'string', 'xl.conf', 'xl.conf: the lock file xl takes while creating a guest.', { default: '"/var/lock/xl"' }),
  K('vif.default.script', 'string', 'xl.conf', 'xl.conf: the hotplug script of vifs that name none, e.g. `"vif-route"` for a routed host.', {
    default: '"vif-bridge"',
  }),
  K('vif.default.bridge', 'string', 'xl.conf', 'xl.conf: the bridge of vifs that name none.', { default: '"xenbr0"' }),
  K('vif.default.gatewaydev', 'string', 'xl.conf', 'xl.conf: the gateway device (for vif-route and vif-nat) of vifs that name none.'),
  K('vif.default.backend', 'string', 'xl.conf', 'xl.conf: the backend domain of vifs that name none.', { default: '"0"' }),
  K('vifscript', 'string', 'xl.conf', 'xl.conf: old name of vif.default.script.', { replacedBy: 'vif.default.script' }),
  K('defaultbridge', 'string', 'xl.conf', 'xl.conf: old name of vif.default.bridge.', { replacedBy: 'vif.default.bridge' }),
  K('remus.default.netbufscript', 'string', 'xl.conf', 'xl.conf: script that sets up network buffering for Remus.'),
  K('colo.default.proxyscript', 'string', 'xl.conf', 'xl.conf: script that sets up the COLO proxy.'),
  K('output_format', 'enum', 'xl.conf', 'xl.conf: format of `xl list -l` output.', { default: '"json"', values: ['json', 'sxp'] }),
  K('blkdev_start', 'string', 'xl.conf', 'xl.conf: first device name used for disks attached to dom0.', { default: '"xvda"' }),
  K('domid_policy', 'enum', 'xl.conf', 'xl.conf: how domain ids are chosen: `"xen"` (Xen picks) or `"random"`.', {
    default: '"xen"',
    values: ['xen', 'random'],
  }),
  K('vm.cpumask', 'string', 'xl.conf', 'xl.conf: physical CPUs every guest is limited to.'),
  K('vm.pv.cpumask', 'string', 'xl.conf', 'xl.conf: physical CPUs PV guests are limited to.'),
  K('vm.hvm.cpumask', 'string', 'xl.conf', 'xl.conf: physical CPUs HVM guests are limited to.'),
  K('max_grant_frames.default', 'number', 'xl.conf', 'xl.conf: default grant-table size.'),
];

export const KEYS: ReadonlyMap<string, KeyInfo> = new Map(list.map((k) => [k.name, k]));

// ---- vif spec keys ----
export interface VifKeyInfo {
  name: string;
  /** Which toolstack accepts it inside a vif spec. */
  toolstack: 'both' | 'xl' | 'xm';
  description: string;
  default?: string;
  values?: string[];
  /** A flag: written without `=value`. */
  flag?: boolean;
  deprecated?: string;
}

const V = (name: string, toolstack: VifKeyInfo['toolstack'], description: string, extra: Partial<VifKeyInfo> = {}): VifKeyInfo => ({
  name,
  toolstack,
  description,
  ...extra,
});

export const VIF_SCRIPTS = ['vif-bridge', 'vif-route', 'vif-nat', 'vif-openvswitch'];

const vifList: VifKeyInfo[] = [
  V('mac', 'both', "The card's MAC address: six hex pairs joined by `:`. Xen's own prefix is 00:16:3e.", { default: 'random, in 00:16:3e' }),
  V('bridge', 'both', 'The dom0 bridge the vif is added to (read by vif-bridge; vif-route and vif-nat ignore it).', { default: 'xenbr0' }),
  V(
    'ip',
    'both',
    "The guest's IP address(es). vif-route adds a host route to each through the vif and vif-nat uses it; with vif-bridge it only limits traffic by iptables. xl takes several, separated by spaces.",
  ),
  V(
    'script',
    'both',
    'The dom0 hotplug script that connects the vif: vif-bridge (default), vif-route (routed setups), vif-nat or vif-openvswitch; a bare name is looked up in /etc/xen/scripts.',
    { default: 'vif-bridge', values: VIF_SCRIPTS },
  ),
  V('vifname', 'both', 'Name of the backend interface in dom0.', { default: 'vifDOMID.DEVID' }),
  V('type', 'both', 'For HVM guests: `ioemu` (emulated card, with PV drivers possible) or `vif` (PV only).', { default: 'ioemu', values: ['ioemu', 'vif'] }),
  V('model', 'both', 'The emulated network card of an HVM guest, e.g. `rtl8139` or `e1000`.', {
    default: 'rtl8139',
    values: ['rtl8139', 'e1000', 'virtio-net'],
  }),
  V('backend', 'both', 'The domain (name or id) that serves the vif.', { default: '0 (dom0)' }),
  V('rate', 'both', 'Bandwidth limit, e.g. `10Mb/s` or `10MB/s@20ms` (B = bytes, b = bits).', { default: 'unlimited' }),
  V('accel', 'both', 'Network acceleration plug-in (xm; xl says it is not supported).'),
  V('gatewaydev', 'xl', "The dom0 device that holds the host's address, used by vif-route and vif-nat (passed to the script as `netdev`)."),
  V('netdev', 'xl', 'Old name of gatewaydev.', { deprecated: 'gatewaydev' }),
  V('devid', 'xl', 'The device number of the vif in the guest.', { default: 'its place in the list' }),
  V('mtu', 'xl', 'MTU of the vif.', { default: '1500' }),
  V('vlan', 'xl', 'VLAN id(s) of the vif, e.g. `10` or `10p/20` (1–4094).'),
  V('trusted', 'xl', 'Flag: the backend may trust the guest.', { flag: true }),
  V('untrusted', 'xl', 'Flag: the backend must not trust the guest.', { flag: true }),
  V('forwarddev', 'xl', 'Device used for COLO replication.'),
  V('policy', 'xm', "Access-control policy of the vif (xm's ACM)."),
  V('label', 'xm', "Access-control label of the vif (xm's ACM)."),
];

export const VIF_KEYS: ReadonlyMap<string, VifKeyInfo> = new Map(vifList.map((k) => [k.name, k]));

export function vifKeyInfo(name: string): VifKeyInfo | undefined {
  const k = VIF_KEYS.get(name);
  if (k) return k;
  if (name.startsWith('colo_')) return V(name, 'xl', 'A COLO (fault-tolerance) setting of the vif.');
  return undefined;
}

export function toolstackWords(t: Toolstacks | VifKeyInfo['toolstack']): string {
  switch (t) {
    case 'both':
      return 'xl and xm';
    case 'xl':
      return 'xl only';
    case 'xm':
      return 'xm only (xl ignores it)';
    case 'xl.conf':
      return "xl.conf (xl's global settings)";
  }
}

export function typeWords(t: KeyType): string {
  switch (t) {
    case 'string':
      return "a 'string'";
    case 'number':
      return 'a number';
    case 'memory':
      return 'a size in MiB (a plain number)';
    case 'boolean':
      return 'a boolean (0 or 1)';
    case 'list':
      return "a [ list ] of 'strings'";
    case 'string-or-list':
      return "a 'string' or a [ list ]";
    case 'action':
      return "an action ('destroy', 'restart', …)";
    case 'enum':
      return 'one of a fixed set of words';
    case 'any':
      return 'a value';
  }
}
