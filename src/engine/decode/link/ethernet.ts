import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const ethernet: LinkLayer = {
  linkTypes: [LINKTYPE.ETHERNET],
  name: 'Ethernet',
  decode: (d, o, end, rend) => d.ethernet(o, end, rend),
};
