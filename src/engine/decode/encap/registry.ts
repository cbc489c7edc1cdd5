/** Encapsulations found by ethertype or UDP port: adding one = one file + one line here. */
import type { Encapsulation } from '../layer';
import { mpls } from './mpls';
import { arista } from './arista';
import { macsec } from './macsec';
import { nsh } from './nsh';
import { pppoe } from './pppoe';
import { vxlan } from './vxlan';
import { geneve } from './geneve';
import { sflow } from './sflow';
import { wccp } from './wccp';
import { eapol } from './eapol';

export const ENCAPSULATIONS: readonly Encapsulation[] = [mpls, arista, macsec, nsh, pppoe, vxlan, geneve, sflow, wccp, eapol];
