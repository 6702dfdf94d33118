import test from 'ava';
import { planReload, ruleFor } from '../../src/apply/index.js';
import { deviceConfig } from '../device-config/helpers.js';
import { renderFiles } from './helpers.js';

test('every file of the overlay has an entry in the service table', async (t) => {
  const config = await deviceConfig();
  const missing = [...(await renderFiles(config)).keys()].filter((file) => ruleFor(file) === undefined);
  t.deepEqual(missing, []);
});

test('unit files ask for a daemon-reload before their unit restarts', (t) => {
  t.deepEqual(
    planReload(['/etc/systemd/system/lokole-web.service', '/etc/systemd/system/lokole-sync.path']),
    {
      daemonReload: true,
      restart: ['lokole-sync.path', 'lokole-web.service'],
      reload: [],
    },
  );
});

test('a changed lokole-apply.service is never restarted from inside its own run', (t) => {
  t.deepEqual(planReload(['/etc/systemd/system/lokole-apply.service']), {
    daemonReload: true,
    restart: [],
    reload: [],
  });
});

test('files read only when used restart nothing', (t) => {
  t.deepEqual(planReload(['/etc/wvdial.conf', '/etc/ppp/peers/wvdial', '/etc/usb_modeswitch.d/12d1:1f01']), {
    daemonReload: false,
    restart: [],
    reload: [],
  });
});

test('a unit both restarted and reloaded is only restarted', (t) => {
  t.deepEqual(
    planReload(['/etc/hostapd/hostapd.conf', '/etc/systemd/system/hostapd.service.d/lokole.conf']),
    {
      daemonReload: true,
      restart: ['hostapd.service'],
      reload: [],
    },
  );
});
