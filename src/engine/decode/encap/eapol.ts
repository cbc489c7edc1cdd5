/**
 * 802.1X authentication (EAPOL, ethertype 0x888e), on Ethernet or behind 802.11's LLC/SNAP: the
 * layer is logged for its Protocol and Info columns (fields/tree/eapol.ts); nothing inside it is
 * decoded.
 */
import type { Encapsulation } from '../layer';

export const eapol: Encapsulation = {
  name: 'EAPOL',
  ethertypes: [0x888e],
  decode(d, o, end) {
    d.layer('eapol', o, Math.min(end, o + 4), end);
    d.note('EAPOL', 'EAPOL');
  },
};
