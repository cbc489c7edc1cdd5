/**
 * Fields that need the detail tree's capture-wide pass (FieldDef.side: DNS-over-UDP and ICMP
 * echo request/response links, UDP streams) filter correctly through `filterFrames`, the path
 * the worker's view uses, on a fresh session where nothing built that pass before; and the
 * fields read back from the tree (fields/tree-fields.ts) print what tshark -2 -n prints.
 * tshark 4.0.17 runs live.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { seqscope, tshark } from '../../../test/run-cli';
import { CaptureSession, MemorySource } from '../index';
import { compileFilter, filterFrames } from './index';

const PPA3 = join(CAPTURES, 'real/ppa3');

async function framesOf(file: string, filter: string): Promise<string> {
  const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(file))));
  await s.load();
  const r = compileFilter(filter);
  if (!r.ok) throw new Error(r.error.message);
  return Array.from(await filterFrames(s, r.filter, 1, s.frameCount)).join(',');
}

const tsharkFrames = async (file: string, filter: string): Promise<string> =>
  (await tshark(['-2', '-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'])).trim().split('\n').filter(Boolean).join(',');

describe.skipIf(!HAS_SHARED)('filters on fields of the capture-wide pass (filterFrames, fresh session)', () => {
  it.each([
    ['dns_lab.pcapng', 'dns.response_in'],
    ['dns_lab.pcapng', 'dns.response_to'],
    ['dns_lab.pcapng', 'dns.time > 0.01'],
    ['dns_query_response.pcapng', 'dns.response_to && dns.time < 1'],
    ['icmp_echo.pcapng', 'icmp.resp_in'],
    ['icmp_echo.pcapng', 'icmp.resp_to == 3'],
    ['icmp_echo.pcapng', 'icmp.resptime > 1'],
    ['icmp_traceroute.pcapng', 'icmp.no_resp'],
    ['icmp_traceroute.pcapng', 'icmp.resp_in'],
    ['icmpv6_neighbor_solicitation.pcapng', 'icmpv6.resp_in || icmpv6.resp_to'],
    ['dns.pcap', 'udp.stream == 2'],
  ])('%s: %s', async (name, filter) => {
    const file = join(PPA3, name);
    const want = await tsharkFrames(file, filter);
    expect(want).not.toBe('');
    expect(await framesOf(file, filter)).toBe(want);
  });
});

/** The fields of tree-fields.ts that the captures below have. */
const TREE_FIELDS = [
  'icmp.checksum.status', 'icmp.ident', 'icmp.ident_le', 'icmp.seq', 'icmp.seq_le', 'icmp.resp_in', 'icmp.resp_to', 'icmp.resptime',
  'icmp.no_resp', 'icmp.unused', 'icmp.length', 'icmp.length.original_datagram', 'icmpv6.checksum.status', 'icmpv6.echo.identifier',
  'icmpv6.echo.sequence_number', 'icmpv6.resp_in', 'icmpv6.resp_to', 'icmpv6.resptime', 'icmpv6.reserved', 'icmpv6.nd.ns.target_address',
  'icmpv6.nd.na.target_address', 'icmpv6.nd.na.flag', 'icmpv6.nd.na.flag.r', 'icmpv6.nd.na.flag.s', 'icmpv6.nd.na.flag.o',
  'icmpv6.nd.na.flag.rsv', 'icmpv6.opt', 'icmpv6.opt.type', 'icmpv6.opt.length', 'icmpv6.opt.linkaddr', 'arp.hw.type', 'arp.proto.type',
  'arp.hw.size', 'arp.proto.size', 'arp.isgratuitous', 'arp.isannouncement', 'eth.ig', 'eth.lg', 'eth.padding', 'eth.trailer',
  'frame.marked', 'frame.ignored', 'frame.offset_shift', 'frame.interface_name', 'ip.checksum.status', 'udp.checksum.status',
  'udp.stream', 'udp.time_relative', 'udp.time_delta', 'tcp.checksum.status', 'data.data', 'data.len',
];

describe.skipIf(!HAS_SHARED)('fields read back from the detail tree: -T fields equals tshark -2 -n', () => {
  it.each(['icmp_echo.pcapng', 'icmp_traceroute.pcapng', 'icmpv6_neighbor_solicitation.pcapng', 'arppoison.pcapng', 'dns_lab.pcapng', 'ip_frag_source.pcapng'])(
    '%s',
    async (name) => {
      const args = ['-r', join(PPA3, name), '-T', 'fields', ...TREE_FIELDS.flatMap((f) => ['-e', f])];
      const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
      expect(theirs.split('\n').length).toBeGreaterThan(4);
      expect(ours).toBe(theirs);
    },
  );
});

// A protocol as a -e field prints its tree line (quoted headers inside ICMP too), ICMP's its
// abbreviation, and ethertype nothing (fields/builtin.ts protocolField).
const PROTOCOL_FIELDS = ['frame', 'eth', 'ethertype', 'vlan', 'ieee8021ad', 'arp', 'ip', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6'];

describe.skipIf(!HAS_SHARED)('protocols as -e fields: -T fields equals tshark -2 -n', () => {
  it.each([
    join(PPA3, 'icmp_traceroute.pcapng'),
    join(PPA3, 'arp_gratuitous.pcapng'),
    join(PPA3, 'icmpv6_neighbor_solicitation.pcapng'),
    join(CAPTURES, 'crafted_link_vlan_qinq.pcap'),
    join(CAPTURES, 'real_closed_port_rst_ipv4.pcap'),
  ])('%s', async (file) => {
    const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', ...PROTOCOL_FIELDS.flatMap((f) => ['-e', f])];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toContain('Frame 1: ');
    expect(ours).toBe(theirs);
  });
});
