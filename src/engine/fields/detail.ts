/**
 * The packet-detail tree of one frame, laid out like Wireshark's (`tshark -V`): the Frame node,
 * then one node per header the decoder walked through (Decoder.layers), each built by its
 * protocol's file in tree/ (eth, ip/ipv6, tcp, udp, icmp/icmpv6, arp), then the payload
 * ("Data (N bytes)"). Nodes carry `start`/`length` (offsets in the frame's captured bytes) for
 * the hex pane, `field` for the display-filter name, `proto` for protocol nodes (what -O expands)
 * and `link` for frame references. The CLI's -V/-O text is tree/text.ts over this same tree.
 */
import { LINKTYPE, LINKTYPE_NAMES } from '../decode/decoder';
import { A_OUT_OF_ORDER, A_RETRANSMISSION } from '../tcp/flags';
import { layersOf, type LayerRec } from './tree/layers';
import { Packet, TCP_ICMP } from '../decode/packet';
import type { CaptureSession } from '../session';
import type { DetailNode, FrameDetail } from '../model/types';
import { fmtEpoch, fmtRelNs } from './format';
import { FIELDS, type FrameCtx } from './project';
import { decodeAgain } from './decode-again';
import { bytesHex, u16 } from './tree/bits';
import { dataNode, expert } from './tree/node';
import { registryValue } from './tree/registry-value';
import { ethNode, ETHERTYPE_NAMES } from './tree/eth';
import { ipv4Node, ipv6Node } from './tree/ip';
import { tcpNode } from './tree/tcp';
import { udpNode } from './tree/udp';
import { icmpLengthPastEnd, icmpNode, icmp6Node, inetSum, type IcmpCtx } from './tree/icmp';
import { arpNode } from './tree/arp';
import { wlanNodes } from './tree/wlan';
import { treeSide, type TreeSide } from './tree/side';
import { getField } from './registry';

export { completenessLabel } from './tree/tcp';
export { treeSide } from './tree/side';
import { appFrame, prepareApp, tcpPayloadWithheld, tcpReassemblyError } from '../dissect/app';
import { appDetailNodes } from '../dissect/tree';

/** The detail of frame `n`, or undefined when it has not been read (yet). */
export async function readDetail(s: CaptureSession, n: number): Promise<FrameDetail | undefined> {
  if (!(n >= 1 && n <= s.frames.count)) return undefined;
  const side = s.isLoaded ? await treeSide(s) : undefined;
  await prepareApp(s, n);
  const { bytes, offsets } = await s.readFrames(n, n);
  const off = offsets[0] ?? 0;
  const cap = s.frames.capLen[n - 1];
  const frameBytes = bytes.slice(off, off + cap);
  const c = decodeAgain(s, new Packet(), n, frameBytes, 0);
  const tree = detailTree(c, side);
  addValues(tree, c);
  return { number: n, tree, bytes: frameBytes };
}

/**
 * Each field node gets its value (the k-th node of a field gets the k-th occurrence, as
 * tshark -E occurrence=a lists them), so the UI can build "Apply as Filter" expressions.
 */
function addValues(tree: DetailNode[], c: FrameCtx): void {
  const seen = new Map<string, number>();
  const walk = (nodes: DetailNode[]) => {
    for (const node of nodes) {
      if (node.field) {
        const k = seen.get(node.field) ?? 0;
        seen.set(node.field, k + 1);
        const v = getField(node.field)?.all(c)[k];
        if (v !== undefined) node.value = v;
      }
      if (node.children) walk(node.children);
    }
  };
  walk(tree);
}

const f = (c: FrameCtx, name: string): string => FIELDS[name](c);

/** Top-level summary lines of the link layers seqscope does not expand (tshark's labels). */
const LINK_LABELS: Record<number, [string, string]> = {
  [LINKTYPE.NULL]: ['Null/Loopback', 'null'],
  [LINKTYPE.LOOP]: ['Null/Loopback', 'null'],
  [LINKTYPE.LINUX_SLL]: ['Linux cooked capture v1', 'sll'],
  [LINKTYPE.LINUX_SLL2]: ['Linux cooked capture v2', 'sll'],
  [LINKTYPE.RAW]: ['Raw packet data', 'raw'],
  12: ['Raw packet data', 'raw'],
  14: ['Raw packet data', 'raw'],
};

/**
 * The tree of a decoded frame. `layers` is what the decoder recorded for it; `side` the
 * capture-wide facts (absent while loading: UDP streams and echo links are left out).
 */
export function detailTree(c: FrameCtx, side?: TreeSide): DetailNode[] {
  const layers = layersOf(c.p, c.buf);
  const out: DetailNode[] = [];
  const comments = c.s.frames.comments.get(c.n);
  if (comments && comments.length) out.push({ label: 'Packet comments', proto: 'pkt_comment', children: comments.map((text) => ({ label: text, field: 'frame.comment' })) });
  out.push(frameNode(c));
  const baseOf = (L: LayerRec): number | undefined => (L.inFrame ? L.off - c.off : undefined);
  let i = 0;
  let lastTransport: 'tcp' | 'udp' | undefined;
  let transportNode: DetailNode | undefined;
  let truncatedTcp = false;
  let payload: DetailNode | undefined;
  /** A "[Malformed Packet: X]" raised after the header was shown (it ends the tree). */
  let malformed: DetailNode | undefined;

  /** The node of layers[i] (advancing i past any layers it contains). */
  const nodeAt = (inError: boolean): DetailNode | undefined => {
    const L = layers[i++];
    const b = L.buf;
    const avail = L.end - L.off;
    const base = baseOf(L);
    switch (L.name) {
      case 'eth': {
        if (avail < 14) return undefined;
        let k = i;
        while (layers[k] && layers[k].name === 'ethertype') k++;
        const next = layers[k];
        let pe: number | undefined;
        if (next && next.buf === b && !inError) {
          if (next.name === 'ip' && next.end - next.off >= 4 && u16(b, next.off + 2) !== 0) pe = next.off + Math.max(u16(b, next.off + 2), (b[next.off] & 15) * 4);
          else if (next.name === 'ipv6' && next.end - next.off >= 6) pe = next.off + 40 + u16(b, next.off + 4);
          else if (next.name === 'arp' && next.end - next.off >= 6) pe = next.off + 8 + 2 * (b[next.off + 4] + b[next.off + 5]);
        }
        return ethNode(b, L.off, L.end, base, pe !== undefined && pe <= L.end ? pe : undefined);
      }
      case 'vlan':
      case 'ieee8021ad': {
        if (avail < 4) return undefined;
        const tci = u16(b, L.off);
        const type = u16(b, L.off + 2);
        const at = base === undefined ? {} : { start: base, length: 4 };
        if (L.name === 'ieee8021ad') {
          return { label: `IEEE 802.1ad, ID: ${tci & 0xfff}`, proto: 'ieee8021ad', ...at, children: [
            { label: `${tci >> 13}`.replace(/^/, 'Priority: '), ...at },
            { label: `ID: ${tci & 0xfff}`, ...at },
            { label: `Type: ${ETHERTYPE_NAMES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')})`, ...at },
          ] };
        }
        return {
          label: `802.1Q Virtual LAN, PRI: ${tci >> 13}, DEI: ${(tci >> 12) & 1}, ID: ${tci & 0xfff}`, proto: 'vlan', ...at,
          children: [
            { label: `Priority: ${tci >> 13}`, field: 'vlan.priority', ...at },
            { label: `ID: ${tci & 0xfff}`, field: 'vlan.id', ...at },
            { label: `Type: ${ETHERTYPE_NAMES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')})`, field: 'vlan.etype', ...at },
          ],
        };
      }
      case 'ip': {
        if (avail < 20) return undefined;
        const tl = u16(b, L.off + 2);
        const tail = inError ? [] : fragmentLines(c, 'IPv4');
        if (!inError && u16(b, L.off + 6) & 0x3fff && !(layers[i] && layers[i].ctx === L.ctx)) {
          const hl = (b[L.off] & 15) * 4;
          payload = dataTop(b, L.off + hl, Math.min(L.end, L.rend) - L.off - hl, base === undefined ? undefined : base + hl);
        }
        return ipv4Node(b, L.off, avail, base, { tsoLength: tl === 0 ? L.rend - L.off : undefined, tail });
      }
      case 'ipv6': {
        if (avail < 40) return undefined;
        let k = i;
        while (layers[k] && layers[k].name.startsWith('ipv6.')) k++;
        const frag = layers[k - 1];
        if (!inError && frag && frag.name === 'ipv6.fraghdr' && !(layers[k] && layers[k].ctx === L.ctx)) {
          payload = dataTop(b, frag.off + 8, frag.end - frag.off - 8, base === undefined ? undefined : base + frag.off + 8 - L.off);
        }
        return ipv6Node(b, L.off, avail, base, { tail: inError ? [] : fragmentLines(c, 'IPv6') });
      }
      case 'tcp':
        if (!c.p.hasTcp || c.p.tcpBuf !== b || c.p.tcpOff !== L.off) return undefined;
        if (inError) return tcpNode(c);
        lastTransport = 'tcp';
        transportNode = tcpNode(c);
        // Options cut by the capture: tshark's marker follows the TCP tree.
        if (c.p.tcpAvail < c.p.hdrLen && c.p.tcpAvail >= 20) truncatedTcp = true;
        return transportNode;
      case 'udp': {
        if (avail < 8) return cutShort(L, 'UDP');
        // A UDP datagram quoted in an ICMP error is a datagram of its own for tshark (stream, payload).
        const node = udpNode(b, L.off, avail, base, L.rend - L.off, side?.udp(c.n), inError);
        if (!inError) {
          lastTransport = 'udp';
          transportNode = node;
        }
        const ulen = u16(b, L.off + 4);
        const plen = Math.min(ulen, L.rend - L.off) - 8;
        if (plen > 0 && (layers[i] === undefined || layers[i].ctx !== L.ctx)) payload = dataTop(b, L.off + 8, Math.min(plen, avail - 8), base === undefined ? undefined : base + 8);
        return node;
      }
      case 'icmp':
      case 'icmpv6': {
        const v6 = L.name === 'icmpv6';
        if (avail < 4) return cutShort(L, v6 ? 'ICMPv6' : 'ICMP');
        const quoted: DetailNode[] = [];
        while (i < layers.length && layers[i].ctx === TCP_ICMP) {
          const q = nodeAt(true);
          if (q) quoted.push(q);
        }
        let ip: LayerRec | undefined;
        for (let k = 0; k < i && layers[k] !== L; k++) if ((layers[k].name === 'ip' || layers[k].name === 'ipv6') && layers[k].ctx === L.ctx) ip = layers[k];
        const len = L.rend - L.off;
        let pseudo: number | undefined;
        if (v6 && ip && ip.name === 'ipv6') pseudo = inetSum(ip.buf, ip.off + 8, 32, len + 58);
        const ic: IcmpCtx = { quoted, inError, whole: L.end >= L.rend, pseudo, echo: inError ? undefined : side?.echoLink(c.n) };
        if (!v6 && !inError && icmpLengthPastEnd(b, L.off, avail, len)) malformed = cutShort({ ...L, end: L.rend }, 'ICMP');
        return v6 ? icmp6Node(b, L.off, avail, len, base, ic) : icmpNode(b, L.off, avail, len, base, ic);
      }
      case 'arp':
        if (avail < 8) return cutShort(L, 'ARP');
        return arpNode(b, L.off, avail, base);
      case 'igmp':
        // Summary level: the protocol's line (its fields are not decoded in the tree).
        return { label: 'Internet Group Management Protocol', proto: 'igmp', start: base, length: base === undefined ? undefined : Math.min(avail, L.rend - L.off) };
      default:
        return undefined;
    }
  };
  // Link layers other than Ethernet are not in the layer log: their summary line comes from the link type.
  const lt = c.s.linkType(c.n);
  const link = LINK_LABELS[lt];
  if (link) out.push({ label: link[0], proto: link[1] });
  else if (lt === LINKTYPE.IEEE802_11 || lt === LINKTYPE.IEEE802_11_RADIOTAP) out.push(...wlanNodes(c.buf, c.off, c.off + c.s.frames.capLen[c.n - 1], lt));
  else if (lt !== LINKTYPE.ETHERNET && lt !== 228 && lt !== 229) out.push({ label: LINKTYPE_NAMES[lt] ?? `Link type ${lt}`, proto: 'link' });
  while (i < layers.length) {
    const n = nodeAt(false);
    if (n) out.push(n);
  }
  const p = c.p;
  if (lastTransport === 'tcp' && p.segLen > 0 && !p.tcpQuoted && p.tcpAvail >= p.hdrLen) {
    const start = p.tcpFrameOff >= 0 ? p.tcpFrameOff - c.off + p.hdrLen : undefined;
    payload = dataTop(p.tcpBuf, p.tcpOff + p.hdrLen, Math.min(p.segLen, p.tcpAvail - p.hdrLen), start);
  }
  // Application protocols (src/engine/dissect/) take the payload: their lines in the TCP subtree, their subtrees after it.
  // Bytes resent into a PDU being reassembled (dissect/stream.ts): tshark shows the error instead of the payload.
  const reassemblyError = lastTransport === 'tcp' && !p.tcpQuoted ? tcpReassemblyError(c.s, c.n) : undefined;
  // tshark gives some TCP payloads to no dissector (tcpPayloadWithheld): then only the TCP line
  // "Retransmitted TCP segment data" after a plain retransmission of data an application dissector saw.
  const withheld = lastTransport === 'tcp' && p.segLen > 0 && tcpPayloadWithheld(c);
  // An out-of-order segment may still join a PDU being reassembled (dissect/stream.ts outOfOrder).
  const heldApp = withheld ? appFrame(c) : undefined;
  const app = lastTransport && transportNode && (!withheld || ((heldApp?.retransmitted || heldApp?.ooo) && c.s.frames.aflags[c.n - 1] & (A_RETRANSMISSION | A_OUT_OF_ORDER))) ? appDetailNodes(c) : undefined;
  if (withheld) {
    // A retransmission whose payload was captured whole gets the line whatever the conversation's
    // dissector (none at all included); cut by the snap length, none (tshark 4.0.17, black-box:
    // ppa3 tcp_retransmissions 2-6 on ports 1048/1043; real_loss_iptables_* and
    // crafted_truncated_snaplen64 frame 10 are cut).
    const whole = p.tcpAvail - p.hdrLen >= p.segLen;
    if (app && !reassemblyError) {
      if (whole) {
        (transportNode!.children ??= []).push(...app.tcp);
        out.push(...app.top);
      }
    } else if (!app && !reassemblyError && whole && c.s.frames.aflags[c.n - 1] & A_RETRANSMISSION && transportNode)
      (transportNode.children ??= []).push({ label: `Retransmitted TCP segment data (${p.segLen} byte${p.segLen === 1 ? '' : 's'})` });
  } else if (app) {
    if (app.tcp.length && lastTransport === 'tcp') (transportNode!.children ??= []).push(...app.tcp);
    const orig = lastTransport === 'udp' ? side?.dnsRetransmissionOf(c.n) : undefined;
    if (orig !== undefined) markDnsRetransmission(app.top, orig);
    out.push(...app.top);
  } else if (payload && !reassemblyError) out.push(payload);
  if (reassemblyError) {
    const e = reassemblyError.summary;
    out.push({ label: `[Reassembly error, protocol TCP: ${e}]`, severity: 'error', children: [expert('error', 'Malformed', e)] });
  }
  if (truncatedTcp) out.push({ label: '[Packet size limited during capture: TCP truncated]', proto: '_ws.short' });
  if (malformed) out.push(malformed);
  const frame = out.find((n) => n.proto === 'frame');
  frame?.children?.push({ label: `[Protocols in frame: ${registryValue(c, 'frame.protocols')}]`, field: 'frame.protocols' });
  return out;
}


/**
 * A header too short to dissect: tshark's "[Packet size limited during capture: X truncated]"
 * when the capture cut it, else "[Malformed Packet: X]" with its expert item.
 */
function cutShort(L: LayerRec, name: string): DetailNode {
  if (L.end < L.rend) return { label: `[Packet size limited during capture: ${name} truncated]`, proto: '_ws.short' };
  return { label: `[Malformed Packet: ${name}]`, proto: '_ws.malformed', severity: 'error', children: [expert('error', 'Malformed', 'Malformed Packet (Exception occurred)')] };
}

/** The item and lines tshark adds to a DNS query sent again (tree/side.ts finds them): under its Transaction ID, and at the end. */
function markDnsRetransmission(top: DetailNode[], orig: number): void {
  const dns = top.find((n) => n.label.startsWith('Domain Name System'));
  if (!dns) return;
  const kids = (dns.children ??= []);
  const id = kids.find((k) => k.field === 'dns.id');
  if (id) (id.children ??= []).unshift(expert('warn', 'Protocol', `DNS query retransmission. Original request in frame ${orig}`));
  kids.push({ label: `[Retransmitted request. Original request in: ${orig}]`, link: orig }, { label: '[Retransmission: True]' });
}


/** "[Reassembled IPv4 in frame: N]" on a fragment, the fragment list on the frame that completed the datagram. */
function fragmentLines(c: FrameCtx, v: 'IPv4' | 'IPv6'): DetailNode[] {
  const d = c.s.decoder.defrag;
  const pieces = d.pieces.get(c.n);
  const whole = d.completedBy(c.n);
  if (pieces && whole) {
    const total = whole.length;
    const list = pieces.map((pc) => `#${pc.frame}(${pc.len})`).join(', ');
    return [{
      label: `[${pieces.length} ${v} Fragments (${total} bytes): ${list}]`,
      field: v === 'IPv4' ? 'ip.fragments' : 'ipv6.fragments',
      children: [
        ...pieces.map((pc) => ({ label: `[Frame: ${pc.frame}, payload: ${pc.off}-${pc.off + pc.len - 1} (${pc.len} bytes)]`, link: pc.frame })),
        { label: `[Fragment count: ${pieces.length}]` },
        { label: `[Reassembled ${v} length: ${total}]` },
        { label: `[Reassembled ${v} data: ${bytesHex(whole, 0, total)}]` },
      ],
    }];
  }
  const at = d.reassembledIn.get(c.n);
  return at !== undefined && at !== c.n ? [{ label: `[Reassembled ${v} in frame: ${at}]`, field: v === 'IPv4' ? 'ip.reassembled_in' : 'ipv6.reassembled.in', link: at }] : [];
}

function dataTop(b: Uint8Array, o: number, n: number, start: number | undefined): DetailNode | undefined {
  if (n <= 0) return undefined;
  return dataNode(b, o, n, start === undefined ? {} : { start, length: n });
}

function frameNode(c: FrameCtx): DetailNode {
  const t = c.s.frames;
  const i = c.n - 1;
  const wire = t.origLen[i];
  const cap = t.capLen[i];
  const lt = c.s.linkType(c.n);
  const fmt = c.s.result?.format ?? '';
  const delta = fmtRelNs(c.n > 1 ? t.nsBetween(c.n, c.n - 1) : 0);
  const kids: DetailNode[] = [];
  let where = '';
  if (fmt.endsWith('pcapng')) {
    const k = t.ifaceOf(i);
    const name = c.s.interfaces[k]?.name?.replace(/\0+$/, '');
    where = ` on interface ${name ?? 'unknown'}, id ${k}`;
    kids.push({ label: 'Section number: 1' });
    // An interface without a name is "unknown" to tshark, in the tree and in frame.interface_name.
    kids.push({ label: `Interface id: ${k} (${name ?? 'unknown'})`, field: 'frame.interface_id', children: [{ label: `Interface name: ${name ?? 'unknown'}`, field: 'frame.interface_name' }] });
  }
  kids.push(
    { label: `Encapsulation type: ${LINKTYPE_NAMES[lt] ?? 'Unknown'} (${lt})` },
    { label: `Arrival Time: ${arrival(t.secOf(i), t.tsNsec[i])}` },
    { label: '[Time shift for this packet: 0.000000000 seconds]', field: 'frame.offset_shift' },
    { label: `Epoch Time: ${f(c, 'frame.time_epoch')} seconds`, field: 'frame.time_epoch' },
    { label: `[Time delta from previous captured frame: ${delta} seconds]`, field: 'frame.time_delta' },
    { label: `[Time delta from previous displayed frame: ${delta} seconds]`, field: 'frame.time_delta_displayed' },
    { label: `[Time since reference or first frame: ${fmtRelNs(t.nsBetween(c.n, 1))} seconds]`, field: 'frame.time_relative' },
    { label: `Frame Number: ${f(c, 'frame.number')}`, field: 'frame.number' },
    { label: `Frame Length: ${f(c, 'frame.len')} bytes (${wire * 8} bits)`, field: 'frame.len' },
    { label: `Capture Length: ${f(c, 'frame.cap_len')} bytes (${cap * 8} bits)`, field: 'frame.cap_len' },
    { label: '[Frame is marked: False]', field: 'frame.marked' },
    { label: '[Frame is ignored: False]', field: 'frame.ignored' },
  );
  return { label: `Frame ${c.n}: ${wire} bytes on wire (${wire * 8} bits), ${cap} bytes captured (${cap * 8} bits)${where}`, proto: 'frame', start: 0, length: cap, children: kids };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function arrival(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return fmtEpoch(sec, nsec);
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(nsec).padStart(9, '0')} UTC`;
}

