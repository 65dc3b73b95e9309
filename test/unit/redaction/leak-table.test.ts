import { Mnemonic, wordlists } from 'ethers';
import { describe, expect, it } from 'vitest';
import { redact, Redactor, type RedactionPolicy } from '../../../main/redaction/index.js';

// The leaks of issue 14 (point 6), each as the text a log line or a bundle field would carry.
// Every case names what must not survive; the phrase and key are the BIP-39 / ethers test vectors.
const WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow'.split(' ');
const KEY = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const ZH_CN = Mnemonic.fromEntropy('0x' + '7f'.repeat(16), null, wordlists['zh_cn']).phrase.split(' ');
const ZH_TW = Mnemonic.fromEntropy('0x' + '80'.repeat(16), null, wordlists['zh_tw']).phrase.split(' ');
const ADDRESS = '0x52908400098527886E0F7030069857D2E4169EE7';
const TX_HASH = '0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b';

// Distinctive pieces: the words that make this phrase (not "legal", which prose also uses).
const wordPieces = ['sausage', 'winner', 'yellow', 'useful'];
const keyPieces = (k: string) => Array.from({ length: k.length / 8 }, (_, i) => k.slice(i * 8, i * 8 + 8));

interface Leak {
  readonly name: string;
  readonly text: string;
  /** Substrings none of which may survive. */
  readonly secrets: readonly string[];
  /** Removed without a marker in its place (URL credentials and fragments are cut out of the URL). */
  readonly silent?: true;
}

const leaks: Leak[] = [
  { name: 'a 12-word phrase', text: `backup: ${WORDS.join(' ')}`, secrets: wordPieces },
  { name: 'a numbered list "1. word 2. word"', text: WORDS.map((w, i) => `${i + 1}. ${w}`).join(' '), secrets: wordPieces },
  { name: 'a numbered list one per line "1) word"', text: WORDS.map((w, i) => `${i + 1}) ${w}`).join('\n'), secrets: wordPieces },
  { name: 'numbered words in a JSON log line (escaped new lines)', text: JSON.stringify(WORDS.map((w, i) => `${i + 1}.${w}`).join('\n')), secrets: wordPieces },
  { name: 'hyphen-joined words', text: `seed=${WORDS.join('-')}`.replace('seed=', 'phrase '), secrets: wordPieces },
  { name: 'underscore- and dot-joined words', text: `${WORDS.slice(0, 6).join('_')}.${WORDS.slice(6).join('.')}`, secrets: wordPieces },
  { name: 'a phrase with one typo in the middle', text: WORDS.map((w) => (w === 'sausage' ? 'sausgae' : w)).join(' '), secrets: ['sausgae', 'winner', 'yellow', 'useful'] },
  { name: 'a phrase with one typo at the end', text: `${WORDS.slice(0, 11).join(' ')} yelow`, secrets: ['yelow', 'sausage', 'winner', 'useful'] },
  { name: 'a phrase with a word mangled past one typo', text: WORDS.map((w) => (w === 'wave' ? 'wqxz' : w)).join(' '), secrets: wordPieces },
  { name: 'a phrase cut off mid-word (a message truncated to a length)', text: `api:${WORDS.join('-')}`.slice(0, 70), secrets: ['sausage', 'winner', 'legal-winner-th', 'worth-us'] },
  { name: 'a phrase cut off after 2 letters of a word', text: WORDS.join(' ').slice(0, 51), secrets: ['sausage', 'worth us'] },
  { name: 'a run of 7 words in a sentence', text: `restored from ${WORDS.slice(0, 7).join(' ')} ok`, secrets: ['sausage', 'winner', 'wave'] },
  { name: 'the words capitalised, comma-separated', text: WORDS.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(', '), secrets: ['Sausage', 'Winner', 'Yellow'] },
  { name: 'the words as 4-letter abbreviations (metal backups)', text: WORDS.map((w) => w.slice(0, 4)).join(' '), secrets: ['saus', 'winn', 'yell', 'usef'] },
  { name: 'a JSON array of words inside a message', text: `import failed for ${JSON.stringify(WORDS)}`, secrets: wordPieces },
  { name: 'a JSON array of 5 words', text: JSON.stringify(WORDS.slice(3, 8)), secrets: ['sausage', 'worth', 'useful'] },
  { name: 'Chinese words without spaces (zh_cn)', text: `助记词：${ZH_CN.join('')}`, secrets: [ZH_CN.slice(0, 6).join(''), ZH_CN.slice(6).join('')] },
  { name: 'Chinese words without spaces (zh_tw)', text: ZH_TW.join(''), secrets: [ZH_TW.slice(0, 6).join(''), ZH_TW.slice(6).join('')] },
  { name: 'Chinese words with spaces', text: ZH_CN.join(' '), secrets: [ZH_CN.slice(2, 5).join(' ')] },
  { name: 'Chinese words in groups of three', text: [0, 3, 6, 9].map((i) => ZH_CN.slice(i, i + 3).join('')).join(' '), secrets: [ZH_CN.slice(0, 3).join('')] },
  { name: 'Chinese words as a numbered list', text: ZH_CN.map((w, i) => `${i + 1}. ${w}`).join(' '), secrets: ZH_CN.slice(0, 5).map((w, i) => `${i + 1}. ${w}`) },
  {
    name: 'an xprv extended key',
    text: 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi',
    secrets: ['3QTDL4LXw2F7HEK3wJUD2nW2nRk4'],
  },
  {
    name: 'a zprv (BIP-84) key after a colon',
    text: 'account key:zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5',
    secrets: ['AWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3'],
  },
  { name: 'a 64-hex key', text: `key 0x${KEY}`, secrets: keyPieces(KEY) },
  { name: 'a key in groups of 8', text: keyPieces(KEY).join(' '), secrets: keyPieces(KEY) },
  { name: 'a key split over two lines', text: `${KEY.slice(0, 21)}\n${KEY.slice(21)}`, secrets: [KEY.slice(0, 21), KEY.slice(21)] },
  { name: 'a key split by an escaped new line', text: JSON.stringify(`${KEY.slice(0, 30)}\n${KEY.slice(30)}`), secrets: [KEY.slice(0, 30), KEY.slice(30)] },
  { name: 'a key in quoted halves', text: `"0x${KEY.slice(0, 28)}" + "${KEY.slice(28)}"`, secrets: [KEY.slice(0, 28), KEY.slice(28)] },
  { name: 'a key as a byte dump', text: KEY.replace(/(..)(?!$)/g, '$1 '), secrets: [KEY.slice(0, 8).replace(/(..)(?!$)/g, '$1 '), KEY.slice(40, 48).replace(/(..)(?!$)/g, '$1 ')] },
  { name: 'a key as a JSON array of pieces', text: JSON.stringify(keyPieces(KEY)), secrets: keyPieces(KEY) },
  { name: 'a key in groups of 4 with colons', text: KEY.replace(/(....)(?!$)/g, '$1:'), secrets: [KEY.slice(0, 4) + ':' + KEY.slice(4, 8), KEY.slice(56, 60) + ':' + KEY.slice(60)] },
  { name: 'a WIF private key', text: 'wif 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ', secrets: ['5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ'] },
  { name: 'user and password in an RPC URL', text: 'rpc https://bob:s3cretpw@rpc.example.org/', secrets: ['bob', 's3cretpw'], silent: true },
  { name: 'a password alone in an RPC URL', text: 'wss://:Hunter2Secret@mainnet.infura.io/ws/v3/', secrets: ['Hunter2Secret'], silent: true },
  { name: 'an Infura project id in the path', text: 'https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161', secrets: ['9aa3d95b3bc440fa88ea12eaa4456161'] },
  { name: 'an Alchemy key of letters only', text: 'https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWx', secrets: ['AbCdEfGhIjKlMnOpQrStUvWx'] },
  { name: 'a QuickNode token', text: 'https://wild-ancient-pond.quiknode.pro/deadbeefcafe0123456789abcdef0123456789ab/', secrets: ['deadbeefcafe0123456789abcdef0123456789ab'] },
  { name: 'an Ankr key', text: 'https://rpc.ankr.com/eth/k3yK3yk3yK3y', secrets: ['k3yK3yk3yK3y'] },
  { name: 'an API key in the query', text: 'https://lb.drpc.org/ogrpc?network=ethereum&dkey=AmX9qz7', secrets: ['AmX9qz7'] },
  { name: 'credentials in a URL the parser refuses', text: 'https://user:p4ssw0rd@[bad/rpc?key=zz9', secrets: ['p4ssw0rd', 'zz9'] },
  { name: 'the browser host token in a fragment', text: 'open http://127.0.0.1:5173/#token=abcDEF_123', secrets: ['abcDEF_123'], silent: true },
  { name: 'a 10/8 address', text: 'refused 10.1.2.3', secrets: ['10.1.2.3'] },
  { name: 'a 172.16/12 address', text: 'refused 172.16.5.4 and 172.31.255.1', secrets: ['172.16.5.4', '172.31.255.1'] },
  { name: 'a 192.168/16 address', text: 'node at 192.168.178.23:8545', secrets: ['192.168.178.23'] },
  { name: 'a home node in an RPC URL', text: 'http://192.168.1.20:8545', secrets: ['192.168'] },
  { name: 'an fc00::/7 address', text: 'from fd12:3456:789a::1 and fc00::1', secrets: ['fd12:3456:789a', 'fc00::1'] },
  { name: 'an fe80::/10 address with a zone', text: 'from fe80::1ff:fe23:4567:890a%eth0', secrets: ['fe80::1ff', '890a', 'eth0'] },
  { name: 'an IPv4-mapped IPv6 address', text: 'peer ::ffff:192.168.1.2 closed', secrets: ['192.168', '168.1.2', '1.2'] },
  { name: 'an IPv6 home node in a URL', text: 'ws://[fd00::2]:8546/', secrets: ['fd00'] },
  { name: 'a LAN host name in a URL', text: 'http://raspberrypi.local:8545', secrets: ['raspberrypi'] },
];

const keep: Array<{ name: string; text: string; policy?: RedactionPolicy }> = [
  { name: 'a normal log line', text: 'meter connected at 115200 8N1; 96 readings stored for 2024-05-01 in 12 ms' },
  { name: 'a sentence full of wordlist words', text: 'Permission denied opening the adapter; install the udev rule and try again with a new cable' },
  { name: 'a longer sentence', text: 'The wallet is locked: unlock it to approve the offer, then check the ledger page for the anchored day.' },
  { name: 'an error message with a code', text: 'HISTORY_DB_OPEN_FAILED: cannot open history.sqlite (SQLITE_BUSY), will retry in 5 s' },
  { name: 'an ethereum address in the local log', text: `anchored by ${ADDRESS}`, policy: 'local-log' },
  { name: 'two addresses in the local log', text: `${ADDRESS}, ${ADDRESS.toLowerCase()}`, policy: 'local-log' },
  { name: 'a UUID', text: 'preview 3f2b6c1e-8d4a-4b7e-9c2f-1a2b3c4d5e6f held' },
  { name: 'timestamps', text: 'window 1700000000000, 1700000000060, 1700000000120, 1700000000180' },
  { name: 'a short frame dump', text: 'reply 68 07 95 04 46 00 00 68 91 00 00 16' },
  { name: 'loopback and a public provider', text: 'http://127.0.0.1:8545/ and https://rpc.energyweb.org/ and ws://[::1]:8546' },
  { name: 'a Chinese sentence', text: '电表已连接，读数正常。' },
  { name: 'times, OBIS codes, vid:pid, versions', text: 'at 15:20:13 obis 1-0:1.8.0.255 adapter 0403:6001 speed 115200 8N1 version 0.1.0 v8 11.3.244.8-node.38' },
];

describe('one redactor: every leak of the issue is caught', () => {
  for (const policy of ['outbound', 'local-log'] as const) {
    for (const c of leaks) {
      it(`${policy}: ${c.name}`, () => {
        const out = new Redactor({ policy, homeDir: '/home/alice', userName: 'alice', hostName: 'alices-laptop' }).string(c.text);
        for (const s of c.secrets) expect(out, `${JSON.stringify(c.text)} → ${JSON.stringify(out)}`).not.toContain(s);
        if (!c.silent) expect(out).toContain('[redacted:');
      });
    }
  }
});

describe('one redactor: ordinary text and public data stay readable', () => {
  for (const c of keep) {
    it(c.name, () => {
      expect(new Redactor({ policy: c.policy ?? 'outbound' }).string(c.text)).toBe(c.text);
    });
  }

  it('the support bundle replaces addresses and chain hashes; the local log keeps them where they are named as such', () => {
    const entry = { message: `sent ${ADDRESS}`, txHash: TX_HASH, account: ADDRESS, owner: ADDRESS };
    expect(redact(entry, { policy: 'local-log' }).value).toEqual(entry);
    expect(redact(entry, { policy: 'outbound' }).value).toEqual({
      message: 'sent [redacted:address]',
      txHash: '[redacted:hex-secret]',
      account: '[redacted:address]',
      owner: '[redacted:label]',
    });
  });

  it('a bare 64-hex value in free text is replaced under both policies (a hash cannot be told from a key)', () => {
    for (const policy of ['outbound', 'local-log'] as const) expect(new Redactor({ policy }).string(`tx ${TX_HASH} mined`)).toBe('tx [redacted:hex-secret] mined');
  });
});

describe('secrets spread over the values of one array or object', () => {
  it('an array of words', () => {
    expect(redact({ words: null, list: WORDS }).value).toEqual({ words: null, list: WORDS.map(() => '[redacted:mnemonic]') });
  });

  it('numbered fields', () => {
    const numbered = Object.fromEntries(WORDS.map((w, i) => [String(i + 1), w]));
    expect(Object.values(redact(numbered).value as Record<string, string>).every((v) => v === '[redacted:mnemonic]')).toBe(true);
  });

  it('Chinese words, one per element', () => {
    expect(JSON.stringify(redact({ backup: ZH_CN }).value)).not.toMatch(new RegExp(ZH_CN.slice(0, 4).join('|')));
  });

  it('a key cut into elements', () => {
    const out = JSON.stringify(redact({ parts: keyPieces(KEY) }, { policy: 'local-log' }).value);
    for (const p of keyPieces(KEY)) expect(out).not.toContain(p);
  });

  it('but not an array of ordinary values', () => {
    const value = { modes: ['light', 'dark', 'system'], ids: ['dsmr', 'iec62056-21', 'dlt645', 'sml', 'modbus'], accounts: [ADDRESS, ADDRESS] };
    expect(redact(value, { policy: 'local-log' }).value).toEqual(value);
  });
});
