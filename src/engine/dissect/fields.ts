/**
 * The application dissectors' fields as field-registry entries (`-e`, display filters,
 * --list-fields, completion): the values are the PDUs' [name, value] pairs of the frame.
 */
import type { FieldDef } from '../fields/registry';
import { appFieldValues } from './app';
import { DISSECTORS } from './registry';

export function appFieldDefs(): FieldDef[] {
  const out: FieldDef[] = [];
  // Fields of other protocols that a dissector needing that pass sets too, the protocol itself
  // included (QUIC's Initials: TLS's, and `tls`).
  const carried = DISSECTORS.flatMap((d) => (d.udpOrdered ? (d.carries ?? []) : []));
  for (const d of DISSECTORS) {
    for (const [name, type, bits, desc] of d.fields) {
      const def: FieldDef = { name, type, desc, all: (c) => appFieldValues(c, name) };
      if (bits) def.bits = bits;
      // Values from the tree's capture-wide pass: UDP request/response links, a connection's state (QUIC).
      if (d.udpLinkFields?.includes(name) || d.udpOrdered || carried.some((p) => name.startsWith(p) || `${name}.` === p)) def.side = true;
      out.push(def);
    }
  }
  return out;
}
