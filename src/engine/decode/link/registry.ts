/** Every link layer the decoder knows: adding one = one file + one line here. */
import type { LinkLayer } from '../layer';
import { ethernet } from './ethernet';
import { sll, sll2 } from './sll';
import { nullLoopback, openbsdLoop } from './loopback';
import { rawIp, rawIpv4, rawIpv6 } from './raw';
import { ppp, pppHdlc } from './ppp';
import { chdlc } from './chdlc';
import { frameRelay } from './frelay';
import { arcnetBsd, arcnetLinux } from './arcnet';
import { ipoib } from './ipoib';
import { ipnet } from './ipnet';
import { nflog } from './nflog';
import { juniperEther } from './juniper';
import { pktap } from './pktap';
import { ieee80211, radiotap } from './ieee80211';
import { sunatm } from './sunatm';
import { ppi } from './ppi';
import { ieee802154, ieee802154NoFcs, ieee802154NonAsk, ieee802154Tap } from './ieee802154';

export const LINK_LAYERS: readonly LinkLayer[] = [
  ethernet,
  sll,
  sll2,
  nullLoopback,
  openbsdLoop,
  rawIp,
  rawIpv4,
  rawIpv6,
  ppp,
  pppHdlc,
  chdlc,
  frameRelay,
  arcnetLinux,
  arcnetBsd,
  ipoib,
  ipnet,
  nflog,
  juniperEther,
  pktap,
  ieee80211,
  radiotap,
  ppi,
  sunatm,
  ieee802154,
  ieee802154NoFcs,
  ieee802154NonAsk,
  ieee802154Tap,
];
