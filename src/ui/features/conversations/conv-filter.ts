/**
 * The display filters of a conversation, as Wireshark's "Conversation Filter" writes them:
 * both directions (A↔B) or one (A→B, B→A), for each table type.
 */
import type { ConvType } from '../../../engine/stats/conversations';

export type ConvDirection = 'both' | 'ab' | 'ba';

export interface ConvEnds {
  addrA: string;
  addrB: string;
  portA: number;
  portB: number;
}

const isV6 = (a: string) => a.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(a);

export function convFilter(type: ConvType, c: ConvEnds, dir: ConvDirection): string {
  const ip = type === 'eth' ? 'eth' : type === 'ipv6' || isV6(c.addrA) ? 'ipv6' : 'ip';
  if (type === 'eth' || type === 'ip' || type === 'ipv6') {
    if (dir === 'both') return `${ip}.addr==${c.addrA} && ${ip}.addr==${c.addrB}`;
    const [s, d] = dir === 'ab' ? [c.addrA, c.addrB] : [c.addrB, c.addrA];
    return `${ip}.src==${s} && ${ip}.dst==${d}`;
  }
  const l4 = type;
  if (dir === 'both') return `${ip}.addr==${c.addrA} && ${l4}.port==${c.portA} && ${ip}.addr==${c.addrB} && ${l4}.port==${c.portB}`;
  const [s, sp, d, dp] = dir === 'ab' ? [c.addrA, c.portA, c.addrB, c.portB] : [c.addrB, c.portB, c.addrA, c.portA];
  return `${ip}.src==${s} && ${l4}.srcport==${sp} && ${ip}.dst==${d} && ${l4}.dstport==${dp}`;
}
