/**
 * Which addresses a server-side request may reach. An allow-list: only ipaddr.js's `unicast`
 * range (what is left of IPv4 and IPv6 once every special range is taken out) is public.
 * Everything else is refused: loopback, private (RFC 1918, ULA fc00::/7), link-local
 * (169.254/16 with the cloud metadata service at 169.254.169.254, fe80::/10), unspecified,
 * CGNAT 100.64/10, multicast, broadcast, reserved and documentation ranges, and IPv6 forms that
 * carry an IPv4 address (mapped ::ffff:0:0/96 is judged by its IPv4 address; the deprecated
 * IPv4-compatible ::/96, NAT64, 6to4 and Teredo are refused outright, since where they lead
 * depends on the network).
 */
import ipaddr from 'ipaddr.js';

/** Names of cloud metadata services (they resolve to link-local addresses, refused anyway). */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

/** ipaddr.js's name for the address's range (`unicast` when public), or `invalid`. */
export function addressRange(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return 'invalid';
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range();
    const range = v6.range();
    // The rest of ::/96: the deprecated IPv4-compatible form (::127.0.0.1).
    if (range === 'unicast' && v6.parts.slice(0, 6).every((part) => part === 0)) return 'ipv4Compatible';
    return range;
  }
  return parsed.range();
}

/** Whether a server-side request may connect to this IP address. */
export const isPublicAddress = (address: string) => addressRange(address) === 'unicast';

/** Whether the host name is one of the cloud metadata services' names. */
export const isMetadataHost = (hostname: string) =>
  METADATA_HOSTS.has(hostname.toLowerCase().replace(/\.$/, ''));
