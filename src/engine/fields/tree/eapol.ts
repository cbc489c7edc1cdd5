/**
 * The Protocol and Info columns of an 802.1X frame (EAPOL, and the EAP packets it carries) as
 * `tshark -2 -n` writes them: "Key (Message 2 of 4)", "Start", "EAP | Response, Identity".
 * Names from `tshark -G values` (eapol.type, eap.code, eap.type); the 4-way handshake's message
 * numbers from the Key Information bits (black-box: ppa3 3e80211_wpaauth*).
 */
import { u16 } from './bits';

const EAPOL_TYPES: Record<number, string> = {
  0: 'EAP Packet', 1: 'Start', 2: 'Logoff', 3: 'Key', 4: 'Encapsulated ASF Alert', 5: 'MKA', 6: 'Announcement (Generic)',
  7: 'Announcement (Specific)', 8: 'Announcement Request',
};
const EAP_CODES: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Success', 4: 'Failure', 5: 'Initiate', 6: 'Finish' };
const EAP_TYPES: Record<number, string> = {
  1: 'Identity', 2: 'Notification', 3: 'Legacy Nak (Response Only)', 4: 'MD5-Challenge EAP (EAP-MD5-CHALLENGE)',
  5: 'One-Time Password EAP (EAP-OTP)', 6: 'Generic Token Card EAP (EAP-GTC)', 13: 'TLS EAP (EAP-TLS)',
  17: 'Cisco Wireless EAP / Lightweight EAP (EAP-LEAP)', 18: 'GSM Subscriber Identity Modules EAP (EAP-SIM)',
  21: 'Tunneled TLS EAP (EAP-TTLS)', 23: 'UMTS Authentication and Key Agreement EAP (EAP-AKA)', 25: 'Protected EAP (EAP-PEAP)',
  26: 'MS-Authentication EAP (EAP-MS-AUTH)', 29: 'MS-CHAP-v2 EAP (EAP-MS-CHAP-V2)', 43: 'Flexible Authentication via Secure Tunneling EAP (EAP-FAST)',
  47: 'Pre-Shared Key EAP (EAP-PSK)', 50: "UMTS Authentication and Key Agreement' EAP (EAP-AKA')", 52: 'Password EAP (EAP-pwd)',
  254: 'Expanded Type', 255: 'Experimental',
};

/** Offset of the Key Data Length in an RSN/WPA key descriptor (from the EAPOL header). */
const KEY_DATA_LEN = 4 + 1 + 2 + 2 + 8 + 32 + 16 + 8 + 8 + 16;

/**
 * Columns of the EAPOL PDU at b[o, o+avail); `bad` is what tshark appends when bytes are missing
 * ("[Malformed Packet]", or the snap length's text for a cut frame).
 */
export function eapolColumns(b: Uint8Array, o: number, avail: number, bad: string): { proto: string; info: string } | undefined {
  if (avail < 4) return { proto: 'EAPOL', info: bad };
  const type = b[o + 1];
  const name = EAPOL_TYPES[type] ?? 'Unknown';
  if (type === 0) {
    if (avail < 8) return { proto: 'EAP', info: bad };
    const code = b[o + 4];
    const c = EAP_CODES[code] ?? 'Unknown';
    if (code !== 1 && code !== 2) return { proto: 'EAP', info: c };
    if (avail < 9) return { proto: 'EAP', info: c + bad };
    return { proto: 'EAP', info: `${c}, ${EAP_TYPES[b[o + 8]] ?? 'Unknown'}` };
  }
  if (type !== 3) return { proto: 'EAPOL', info: name };
  const desc = avail > 4 ? b[o + 4] : -1;
  // RC4 descriptor: key length, replay counter, IV, index, signature (43 bytes).
  if (desc !== 2 && desc !== 254) return { proto: 'EAPOL', info: avail >= 5 + 43 ? name : name + bad };
  if (avail < KEY_DATA_LEN + 2) return { proto: 'EAPOL', info: name + bad };
  const ki = u16(b, o + 5);
  const ack = (ki & 0x0080) !== 0;
  const mic = (ki & 0x0100) !== 0;
  if (!(ki & 0x0008)) return { proto: 'EAPOL', info: `Key (Group Message ${ack ? 1 : 2} of 2)` };
  const dataLen = u16(b, o + KEY_DATA_LEN);
  const n = ack ? (mic ? 3 : 1) : dataLen > 0 ? 2 : 4;
  return { proto: 'EAPOL', info: `Key (Message ${n} of 4)` };
}
