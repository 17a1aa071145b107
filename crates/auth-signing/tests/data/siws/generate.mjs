// Writes corpus.json: what @solana/wallet-standard-util's parseSignInMessageText and
// createSignInMessageText answer on a few hundred inputs. See README.md.
import { parseSignInMessageText, createSignInMessageText } from '@solana/wallet-standard-util';

// A small seeded PRNG (mulberry32), so the corpus is the same on every run.
let seed = 0x5105;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const chance = (p) => random() < p;

const HEADER = ' wants you to sign in with your Solana account:';
const ADDRESS = '5Wh8ovzHnUCKjNrFtpYwGz2jTpcRbBr9jLEzdnY6Lmd2';
const FULL = [
  `example.com${HEADER}`,
  ADDRESS,
  '',
  'Sign in to Example',
  '',
  'URI: https://example.com/login',
  'Version: 1',
  'Chain ID: mainnet',
  'Nonce: oBbLoEldZs',
  'Issued At: 2024-01-01T00:00:00.000Z',
  'Expiration Time: 2024-01-01T00:10:00.000Z',
  'Not Before: 2024-01-01T00:00:00.000Z',
  'Request ID: 42',
  'Resources:',
  '- https://example.com/a',
  '- ipfs://bafy',
].join('\n');

const texts = [
  '', '\n', FULL, FULL + '\n', FULL + '\n\n\n', FULL.replaceAll('\n', '\r\n'),
  `example.com${HEADER}\n${ADDRESS}`,
  `example.com${HEADER}\n${ADDRESS}\n`,
  `example.com${HEADER}\n${ADDRESS}\n\n`,
  `example.com${HEADER}\n${ADDRESS}\n\n\n`,
  `example.com${HEADER}\n${ADDRESS}\n\nURI: x`,
  `example.com${HEADER}\n${ADDRESS}\n\n\nURI: x`,
  `example.com${HEADER}\n${ADDRESS}\n\nHello\n\nURI: x`,
  `example.com${HEADER}\n${ADDRESS}\n\nHello\nworld\n\nURI: x\nNonce: abc`,
  `example.com${HEADER}\n${ADDRESS}\n\nHello\n\nURI: x\n\nVersion: 1`,
  `example.com${HEADER}\n${ADDRESS}\n\nURI: \nVersion: 1`,
  `example.com${HEADER}\n${ADDRESS}\n\nResources:`,
  `example.com${HEADER}\n${ADDRESS}\n\nResources:\n`,
  `example.com${HEADER}\n${ADDRESS}\n\nResources:\n- `,
  `example.com${HEADER}\n${ADDRESS}\n\nResources: x`,
  `example.com${HEADER}\n${ADDRESS}\n\nResources:\n- a\n- \n- b`,
  `example.com${HEADER}\n${ADDRESS}\n\nVersion: 1\nURI: x`,
  `${HEADER}\n${ADDRESS}`,
  `example.com${HEADER}\n`,
  `example.com${HEADER}`,
  `example.com${HEADER} ${HEADER}\n${ADDRESS}`,
  `a${HEADER}${HEADER}\n${ADDRESS}`,
  `https://exämple.com 🦀${HEADER}\n${ADDRESS}\n\nStatement with ünïcode 🦀 and \u2028 separators\n\nNonce: ñ`,
  `example.com${HEADER}\n${ADDRESS}\n\n\n\nURI: x`,
  `example.com${HEADER}\n${ADDRESS}\n\nURI: a\nURI: b`,
  `example.com${HEADER}\n${ADDRESS}\n\nSTATEMENT\n\nURI: a\n\nURI: b`,
  `example.com${HEADER}\n${ADDRESS}\n\nURI: https://a\nVersion: 1\nChain ID: solana:mainnet\nNonce: n\nIssued At: t\nExpiration Time: e\nNot Before: b\nRequest ID: r\nResources:\n- x\n\n\n`,
  `example.com${HEADER}\r\n${ADDRESS}`,
  `example.com${HEADER}\n${ADDRESS}\r\n\r\nURI: x`,
];

// Lines from which random texts are put together.
const POOL = [
  '', '', '', 'Hello', 'Sign in to Example', 'a: b', 'URI: https://example.com', 'URI: ',
  'Version: 1', 'Chain ID: mainnet', 'Chain ID: solana:devnet', 'Nonce: abcdefgh', 'Nonce:',
  'Issued At: 2024-01-01T00:00:00Z', 'Expiration Time: 2024-01-02T00:00:00Z',
  'Not Before: 2023-12-31T00:00:00+01:00', 'Request ID: x y', 'Resources:', '- https://a',
  '- ', '-x', 'Resources: ', ' URI: x', '\r', 'ünï 🦀', 'Statement: no',
];
for (let i = 0; i < 260; i++) {
  const lines = [`${pick(['example.com', 'localhost:3000', 'a', 'ünï'])}${HEADER}`];
  if (chance(0.95)) lines.push(pick([ADDRESS, ADDRESS, 'not base58 at all', '']));
  const n = Math.floor(random() * 10);
  for (let j = 0; j < n; j++) lines.push(pick(POOL));
  let text = lines.join('\n');
  if (chance(0.2)) text += '\n'.repeat(1 + Math.floor(random() * 3));
  if (chance(0.05)) text = text.replaceAll('\n', '\r\n');
  texts.push(text);
}
// Texts that createSignInMessageText wrote, each with one line moved up by one.
const FIELDS = FULL.split('\n');
for (let i = 3; i < FIELDS.length; i++) {
  const lines = FIELDS.slice();
  [lines[i - 1], lines[i]] = [lines[i], lines[i - 1]];
  texts.push(lines.join('\n'));
}

const STATEMENTS = [
  undefined, '', 'Sign in', 'two\nlines', 'ends with newline\n', '\nstarts with newline',
  'looks like\n\nURI: https://evil.example', 'Nonce: inside', 'ünïcode 🦀', 'a\n\nb',
];
const inputs = [];
for (let i = 0; i < 200; i++) {
  const input = {
    domain: pick(['example.com', 'localhost:3000', 'ünï.example']),
    address: pick([ADDRESS, '11111111111111111111111111111111']),
  };
  const maybe = (key, values) => { if (chance(0.5)) input[key] = pick(values); };
  const statement = pick(STATEMENTS);
  if (statement !== undefined) input.statement = statement;
  maybe('uri', ['https://example.com/login', '', 'urn:x']);
  maybe('version', ['1', '']);
  maybe('chainId', ['mainnet', 'solana:mainnet', '']);
  maybe('nonce', ['oBbLoEldZs', '12345678', '']);
  maybe('issuedAt', ['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00+02:00']);
  maybe('expirationTime', ['2024-01-01T00:10:00.000Z']);
  maybe('notBefore', ['2023-12-31T23:59:00.000Z']);
  maybe('requestId', ['42', '', 'req id']);
  if (chance(0.5)) {
    input.resources = [];
    const n = Math.floor(random() * 4);
    for (let j = 0; j < n; j++) input.resources.push(pick(['https://a', 'ipfs://b', '- dash', 'x y']));
  }
  inputs.push(input);
}

const corpus = {
  package: '@solana/wallet-standard-util',
  parse: texts.map((text) => ({ text, fields: parseSignInMessageText(text) })),
  create: inputs.map((fields) => ({ fields, text: createSignInMessageText(fields) })),
};
process.stdout.write(JSON.stringify(corpus, null, 1) + '\n');
