/**
 * Test support: an FTP control connection announcing its data connection (PASV, or active PORT),
 * then that data connection from its SYN to its FIN/ACKs.
 */
import { Conn, utf8, writePcap, type Record_ } from './build';

/** `control` false: the data connection alone (nothing announces it). */
export function ftpAnnounced(mode: 'pasv' | 'port', control = true): Uint8Array {
  const out: Record_[] = [];
  let t = 0;
  const at = () => (t += 0.001).toFixed(6);
  const ctlOut: Record_[] = [];
  const ctl = new Conn(control ? out : ctlOut, { client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 21 });
  ctl.c(at(), 'S', 0, 0, 64240).s(at(), 'SA', 0, 1, 64240).c(at(), 'A', 1, 1, 64240);
  let cs = 1;
  let ss = 1;
  const say = (fromClient: boolean, text: string) => {
    const p = utf8(text);
    if (fromClient) ctl.c(at(), 'PA', cs, ss, 64240, p.length, { payload: p });
    else ctl.s(at(), 'PA', ss, cs, 64240, p.length, { payload: p });
    if (fromClient) cs += p.length;
    else ss += p.length;
  };
  say(false, '220 hi\r\n');
  say(true, mode === 'pasv' ? 'PASV\r\n' : 'PORT 10,0,0,1,192,14\r\n');
  say(false, mode === 'pasv' ? '227 Entering Passive Mode (10,0,0,2,192,14)\r\n' : '200 ok\r\n');
  say(true, 'RETR x\r\n');
  say(false, '150 ok\r\n');
  const data = mode === 'pasv'
    ? new Conn(out, { client: '10.0.0.1', server: '10.0.0.2', cport: 41000, sport: 49166 })
    : new Conn(out, { client: '10.0.0.2', server: '10.0.0.1', cport: 20, sport: 49166 });
  data.c(at(), 'S', 0, 0, 64240).s(at(), 'SA', 0, 1, 64240).c(at(), 'A', 1, 1, 64240);
  const d = utf8('hello data\n');
  data.s(at(), 'PA', 1, 1, 64240, d.length, { payload: d }).c(at(), 'A', 1, 1 + d.length, 64240);
  data.s(at(), 'FA', 1 + d.length, 1, 64240).c(at(), 'FA', 1, 2 + d.length, 64240).s(at(), 'A', 2 + d.length, 2, 64240);
  return writePcap(out);
}
