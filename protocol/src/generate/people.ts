import type { Random } from './random.js';
import {
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  ORGANISATIONS,
  formatPhone,
  toAddressPart,
  type Language,
} from './texts.js';

/** Someone who writes or receives the generated mail. */
export interface Person {
  first: string;
  last: string;
  address: string;
  /** The language this person mostly writes in. */
  language: Language;
  /** Writes from a webmail that sends HTML (Gmail, Outlook) rather than plain text. */
  writesHtml: boolean;
  /** Users of the device; the others are correspondents on the internet. */
  isLocal: boolean;
  /** A signature block under the name, or none. */
  signature: string[];
}

export interface Directory {
  locals: Person[];
  remotes: Person[];
}

// Free mail dominates; the rest are organisations and other Lokole devices.
const REMOTE_DOMAINS = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'yahoo.fr',
  'yahoo.fr',
  'yahoo.com',
  'hotmail.com',
  'outlook.fr',
  'outlook.com',
  'unikin.ac.cd',
  'mwinda.org',
  'bondeko-sante.org',
  'tosalisana.cd',
  'goma.lokole.ca',
  'mbandaka.lokole.ca',
];

const LOCAL_USERS = 40;
const REMOTE_CORRESPONDENTS = 70;

export function createDirectory(random: Random, domain: string): Directory {
  // A device named like one of the other Lokoles must not see its own users as correspondents.
  const remoteDomains = REMOTE_DOMAINS.filter((remote) => remote !== domain);
  const taken = new Set<string>();
  const makePerson = (isLocal: boolean): Person => {
    for (;;) {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const address = isLocal
        ? `${toAddressPart(first)}.${toAddressPart(last)}@${domain}`
        : `${writeRemoteLocalPart(random, first, last)}@${random.pick(remoteDomains)}`;
      if (taken.has(address)) continue;
      taken.add(address);
      const language = pickLanguage(random, isLocal);
      return {
        first,
        last,
        address,
        language,
        // People on the device write with Lokole's plain editor; the internet writes HTML more often.
        writesHtml: !isLocal && random.next() < 0.4,
        isLocal,
        signature: writeSignature(random),
      };
    }
  };
  const locals = Array.from({ length: LOCAL_USERS }, () => makePerson(true));
  const remotes = Array.from({ length: REMOTE_CORRESPONDENTS }, () => makePerson(false));
  return { locals, remotes };
}

function writeRemoteLocalPart(random: Random, first: string, last: string): string {
  const f = toAddressPart(first);
  const l = toAddressPart(last);
  switch (random.int(0, 5)) {
    case 0:
      return `${f}.${l}`;
    case 1:
      return `${f}${l}${random.int(70, 99)}`;
    case 2:
      return `${f[0]}${l}`;
    case 3:
      return `${l}.${f}`;
    case 4:
      return `${f}_${l}${random.int(1, 2026)}`;
    default:
      return `${l}${f[0]}`;
  }
}

function pickLanguage(random: Random, isLocal: boolean): Language {
  // A Kinshasa device: French first, then Lingala; the correspondents bring Swahili (the east) and English.
  const r = random.next();
  if (isLocal) return r < 0.6 ? 'fr' : r < 0.85 ? 'ln' : r < 0.93 ? 'sw' : 'en';
  return r < 0.5 ? 'fr' : r < 0.62 ? 'ln' : r < 0.8 ? 'sw' : 'en';
}

function writeSignature(random: Random): string[] {
  const r = random.next();
  if (r < 0.5) return [];
  const org = random.pick(ORGANISATIONS);
  const phone = `Tél. : ${formatPhone(random)}`;
  if (r < 0.75) return [org, phone];
  return [random.pick(JOB_TITLES), org, phone];
}

export function fullName(person: Person): string {
  return `${person.first} ${person.last}`;
}
