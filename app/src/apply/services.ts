/**
 * Which service reads which file: after `lokole apply --root /` changes files, the services
 * owning them are restarted or reloaded. One table, first match wins; a file the table does not
 * know is a bug (test/apply/services.test.ts renders the overlay and checks every file is here).
 */
export interface ServiceRule {
  match: RegExp;
  /** A systemd unit file or drop-in: systemd must re-read its units first. */
  daemonReload?: boolean;
  /** Restarted if running (`systemctl try-restart`). */
  restart?: readonly string[];
  /** Reloaded if running (`systemctl try-reload-or-restart`). */
  reload?: readonly string[];
  /** Why nothing else is needed, for files read only when used. */
  note?: string;
}

export const SERVICE_TABLE: readonly ServiceRule[] = [
  { match: /^\/etc\/hostapd\/hostapd\.conf$/, restart: ['hostapd.service'] },
  {
    match: /^\/etc\/systemd\/system\/hostapd\.service\.d\//,
    daemonReload: true,
    restart: ['hostapd.service'],
  },
  { match: /^\/etc\/dnsmasq\.d\//, restart: ['dnsmasq.service'] },
  // networkd's reload (`networkctl reload`) re-reads .network files and reconfigures the links.
  { match: /^\/etc\/systemd\/network\//, reload: ['systemd-networkd.service'] },
  {
    match: /^\/etc\/default\/lokole$/,
    restart: ['lokole-web.service'],
    note: 'lokole-sync reads it at its next start',
  },
  {
    match: /^\/etc\/systemd\/system\/lokole-web\.service$/,
    daemonReload: true,
    restart: ['lokole-web.service'],
  },
  {
    match: /^\/etc\/systemd\/system\/lokole-sync\.timer$/,
    daemonReload: true,
    restart: ['lokole-sync.timer'],
  },
  { match: /^\/etc\/systemd\/system\/lokole-sync\.path$/, daemonReload: true, restart: ['lokole-sync.path'] },
  {
    match: /^\/etc\/systemd\/system\/lokole-apply\.path$/,
    daemonReload: true,
    restart: ['lokole-apply.path'],
  },
  // Oneshots: the next start uses the new unit. Restarting lokole-apply.service would restart this very run.
  {
    match: /^\/etc\/systemd\/system\/lokole-(sync|apply|first-boot)\.service$/,
    daemonReload: true,
    note: 'a oneshot: its next run uses the new unit',
  },
  { match: /^\/etc\/systemd\/journald\.conf\.d\//, restart: ['systemd-journald.service'] },
  // nftables.service reloads with `nft -f /etc/nftables.conf`, which replaces the rules in one step.
  { match: /^\/etc\/nftables\.conf$/, reload: ['nftables.service'] },
  { match: /^\/etc\/sysctl\.d\//, restart: ['systemd-sysctl.service'] },
  { match: /^\/usr\/lib\/sysusers\.d\//, restart: ['systemd-sysusers.service'] },
  { match: /^\/etc\/wvdial\.conf$/, note: 'read by wvdial at each dial' },
  { match: /^\/etc\/ppp\/peers\//, note: 'read by pppd at each dial' },
  { match: /^\/etc\/usb_modeswitch\.d\//, note: 'read by usb_modeswitch when a stick is plugged in' },
  { match: /^\/usr\/lib\/lokole\//, note: 'run by its unit' },
];

export interface ReloadPlan {
  daemonReload: boolean;
  restart: string[];
  reload: string[];
}

export function ruleFor(file: string): ServiceRule | undefined {
  return SERVICE_TABLE.find((rule) => rule.match.test(file));
}

/** What to restart or reload after these files (paths in the root file system) changed. */
export function planReload(files: readonly string[]): ReloadPlan {
  const restart = new Set<string>();
  const reload = new Set<string>();
  let daemonReload = false;
  for (const file of files) {
    const rule = ruleFor(file);
    if (!rule) continue;
    daemonReload ||= rule.daemonReload === true;
    for (const unit of rule.restart ?? []) restart.add(unit);
    for (const unit of rule.reload ?? []) reload.add(unit);
  }
  // A restart does all a reload does.
  for (const unit of restart) reload.delete(unit);
  return { daemonReload, restart: [...restart].sort(), reload: [...reload].sort() };
}

export function isEmptyPlan(plan: ReloadPlan): boolean {
  return !plan.daemonReload && plan.restart.length === 0 && plan.reload.length === 0;
}
