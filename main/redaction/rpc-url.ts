import { isLanHostName, isLoopbackIpv4 } from './network-addresses.js';
import type { RedactionKind } from './redaction-kind.js';

/**
 * URLs, mostly JSON-RPC endpoints. Providers put the credential in different places: user and
 * password (https://user:pass@host), a path segment (Infura /v3/<id>, Alchemy /v2/<key>, Ankr
 * /eth/<key>, QuickNode /<token>/, GetBlock /<uuid>/, Chainstack /<key>), or the query
 * (?apikey=, ?dkey=). The provider's name stays (support needs it); the credential, a home node's
 * address and the fragment (the browser host's token) do not.
 */
export const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()`]+/gi;

// Hosts whose every opaque path segment is an API key.
const KEYED_PROVIDERS = [
  'infura.io', 'alchemy.com', 'alchemyapi.io', 'quiknode.pro', 'quicknode.pro', 'ankr.com', 'getblock.io', 'p2pify.com',
  'chainstack.com', 'blastapi.io', 'drpc.org', 'nodereal.io', 'blockpi.network', 'tenderly.co', 'pokt.network',
  'gateway.fm', 'moralis-nodes.com', 'nownodes.io', 'allthatnode.com', 'onfinality.io', 'chainnodes.org', 'llamarpc.com',
  'publicnode.com', 'grove.city', 'unifra.io', 'zan.top', 'dwellir.com', 'rpcfast.com',
];
// Path words of providers' routes, kept so support sees which network was asked.
const ROUTE_WORDS = /^(?:v\d+|ws|wss|rpc|http|https|jsonrpc|api|eth|mainnet|testnet|sepolia|holesky|goerli|polygon|arbitrum|optimism|base|bsc|gnosis|xdai|ewc|volta|energyweb|ethereum|ogrpc|archive|full|node|nodes)$/i;

const isKeyedProvider = (host: string) => KEYED_PROVIDERS.some((p) => host === p || host.endsWith(`.${p}`));

function opaqueSegment(seg: string, keyed: boolean): boolean {
  if (seg === '' || ROUTE_WORDS.test(seg)) return false;
  if (keyed) return seg.length >= 8 || /\d/.test(seg);
  // Elsewhere, what looks like a key: long with digits and letters, or long and opaque.
  return (seg.length >= 16 && /\d/.test(seg) && /[a-z]/i.test(seg)) || (seg.length >= 24 && /^[\w-]+$/.test(seg) && !/^[a-z]+(?:-[a-z]+)*$/.test(seg));
}

/** Redacts one URL; `mark` counts the kind and answers its marker. */
export function redactUrl(raw: string, mark: (kind: RedactionKind) => string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return redactUnparsedUrl(raw, mark);
  }
  let changed = false;
  if (u.username || u.password) {
    mark('url-credentials');
    changed = true;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
  const loopback = host === 'localhost' || (isIp && isLoopbackIpv4(host)) || host === '::1';
  // Keep the provider's name (support needs it) but not a home node's address or LAN name.
  let hostOut = u.host;
  if (isIp && !loopback) hostOut = mark('ip') + (u.port ? `:${u.port}` : '');
  else if (!isIp && isLanHostName(host)) hostOut = mark('host-name') + (u.port ? `:${u.port}` : '');
  const keyed = isKeyedProvider(host.toLowerCase());
  const path = u.pathname
    .split('/')
    .map((seg) => (opaqueSegment(safeDecode(seg), keyed) ? mark('token') : seg))
    .join('/');
  if (path !== u.pathname) changed = true;
  let query = '';
  if (u.search) {
    const parts: string[] = [];
    for (const [k] of u.searchParams) parts.push(`${k}=${mark('secret')}`);
    query = `?${parts.join('&')}`;
    changed = true;
  }
  if (u.hash) changed = true;
  if (!changed && hostOut === u.host) return raw;
  return `${u.protocol}//${hostOut}${path}${query}`;
}

function safeDecode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** A URL the parser refuses ("https://user:pass@[bad") still loses its credentials and query. */
function redactUnparsedUrl(raw: string, mark: (kind: RedactionKind) => string): string {
  return raw
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, (_m, scheme: string) => {
      mark('url-credentials');
      return scheme;
    })
    .replace(/([?&][^=&#]*=)[^&#]*/g, (_m, k: string) => `${k}${mark('secret')}`)
    .replace(/#.*$/, '');
}
