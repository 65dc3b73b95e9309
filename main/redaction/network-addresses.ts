/**
 * IP and MAC addresses locate the household's network. LAN addresses (10/8, 172.16/12,
 * 192.168/16, fc00::/7, fe80::/10) name its devices; public ones its connection. Only loopback
 * (the app talking to itself) stays.
 */
export const IPV4 = /(?<![\d.:\w-])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.\w-])/g;
/** IPv4-mapped IPv6 ("::ffff:192.168.1.2"): replaced whole, or the IPv4 tail would survive. */
export const IPV4_MAPPED = /(?<![\w:.])(?:0{0,4}:){0,5}:?ffff:(?:\d{1,3}\.){3}\d{1,3}(?![\d.\w])/gi;
/** Candidates only: `looksIpv6` decides, so times (15:20:13) and OBIS codes survive. Zone ids (%eth0) go with the address. */
export const IPV6_CANDIDATE = /(?<![\w:.#])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[\w.]+)?(?![\w:])/gi;
export const MAC = /(?<![\w:-])[0-9a-f]{2}(?:([:-])[0-9a-f]{2})(?:\1[0-9a-f]{2}){4}(?![\w:-])/gi;

export function isLoopbackIpv4(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0';
}

export function looksIpv6(candidate: string): boolean {
  const c = candidate.replace(/%[\w.]+$/, '');
  if (c === '::1' || c === '::') return false;
  const groups = c.split(':');
  if (groups.some((g) => g.length > 4)) return false;
  const hasLetters = /[a-f]/i.test(c);
  return c.includes('::')
    ? groups.filter(Boolean).length >= 1 && (hasLetters || groups.length >= 3)
    : groups.length >= 6 || (hasLetters && groups.length >= 4);
}

/** Names that only resolve inside the household's network (mDNS, home routers). */
export const isLanHostName = (host: string) => /\.(?:local|lan|home|internal|localdomain|home\.arpa|fritz\.box)$/i.test(host);
