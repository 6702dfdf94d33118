import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import { LokoleError } from '@lokole/protocol';
import { CONFIG_DIR } from '../paths.js';

/** The repository's `config/` folder, where `modems.json` and `carriers.json` live. */
export { CONFIG_DIR };

const productId = v.pipe(v.string(), v.regex(/^[0-9a-f]{4}$/, 'a USB id is four lower-case hex digits'));

const SwitchSchema = v.object({
  from: productId,
  to: productId,
  messageContent: v.pipe(v.string(), v.regex(/^[0-9a-f]{62}$/i, 'a switch message is 31 bytes of hex')),
  source: v.pipe(v.string(), v.minLength(1)),
});

const StickSchema = v.object({
  model: v.string(),
  vendorId: productId,
  storage: v.array(productId),
  modem: v.array(productId),
  hilink: v.array(productId),
  switches: v.array(SwitchSchema),
});

export const ModemTableSchema = v.object({
  vendors: v.record(v.string(), v.string()),
  ports: v.object({ modem: v.number(), diag: v.number(), pcui: v.number() }),
  sticks: v.array(StickSchema),
});

export type ModemTable = v.InferOutput<typeof ModemTableSchema>;
export type StickModel = v.InferOutput<typeof StickSchema>;
export type ModeSwitch = v.InferOutput<typeof SwitchSchema>;

const CarrierSchema = v.pipe(
  v.object({
    id: v.string(),
    name: v.string(),
    country: v.nullable(v.string()),
    networks: v.array(v.pipe(v.string(), v.regex(/^\d{5,6}$/, 'a network is MCC+MNC, 5 or 6 digits'))),
    apn: v.nullable(v.string()),
    username: v.string(),
    password: v.string(),
    phone: v.string(),
    source: v.optional(v.pipe(v.string(), v.minLength(1))),
    unverified: v.optional(v.literal(true)),
    note: v.optional(v.string()),
    alternatives: v.optional(v.array(v.object({ apn: v.string(), source: v.string() }))),
  }),
  // The table must never pass a guess off as fact: each preset says where it comes from, or that it is a guess.
  v.check(
    (carrier) => (carrier.source !== undefined) !== (carrier.unverified === true),
    'each carrier needs either a "source" or "unverified": true (not both)',
  ),
);

export const CarrierTableSchema = v.object({ carriers: v.array(CarrierSchema) });

export type CarrierTable = v.InferOutput<typeof CarrierTableSchema>;
export type Carrier = v.InferOutput<typeof CarrierSchema>;

async function loadJson<T extends v.GenericSchema>(file: string, schema: T): Promise<v.InferOutput<T>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new LokoleError(
      'BAD_CONFIG',
      `Cannot read ${file}: ${(error as Error).message}. Reinstall Lokole.`,
      {
        cause: error,
      },
    );
  }
  const result = v.safeParse(schema, data);
  if (!result.success) {
    const problems = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
    throw new LokoleError('BAD_CONFIG', `${file} is not valid: ${problems.join('; ')}.`);
  }
  return result.output;
}

export function loadModemTable(file = path.join(CONFIG_DIR, 'modems.json')): Promise<ModemTable> {
  return loadJson(file, ModemTableSchema);
}

export function loadCarrierTable(file = path.join(CONFIG_DIR, 'carriers.json')): Promise<CarrierTable> {
  return loadJson(file, CarrierTableSchema);
}
