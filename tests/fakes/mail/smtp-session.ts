// One SMTP conversation (RFC 5321, the part a mail client needs to hand over a message): EHLO/HELO,
// MAIL FROM, RCPT TO, DATA (dot-unstuffed), RSET, NOOP, QUIT. No TLS and no auth: a local sink only.
import type { Socket } from 'node:net';

export type Envelope = { from: string; to: string[]; raw: string };

export function serveSmtpSession(socket: Socket, onMessage: (envelope: Envelope) => void): void {
  let buffer = '';
  let from = '';
  let to: string[] = [];
  let data: string[] | undefined;
  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply('220 switchboard-mail-catcher ESMTP');

  const command = (line: string) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') return reply('250-switchboard-mail-catcher\r\n250-8BITMIME\r\n250 SIZE 26214400');
    if (verb === 'HELO') return reply('250 switchboard-mail-catcher');
    if (verb === 'MAIL') {
      from = /<([^>]*)>/.exec(line)?.[1] ?? '';
      to = [];
      return reply('250 OK');
    }
    if (verb === 'RCPT') {
      to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
      return reply('250 OK');
    }
    if (verb === 'DATA') {
      if (to.length === 0) return reply('503 RCPT first');
      data = [];
      return reply('354 End data with <CR><LF>.<CR><LF>');
    }
    if (verb === 'RSET') {
      from = '';
      to = [];
      return reply('250 OK');
    }
    if (verb === 'NOOP') return reply('250 OK');
    if (verb === 'QUIT') {
      reply('221 Bye');
      return socket.end();
    }
    return reply('502 Command not implemented');
  };

  const dataLine = (line: string) => {
    if (line !== '.') return data!.push(line.startsWith('..') ? line.slice(1) : line);
    onMessage({ from, to, raw: data!.join('\r\n') });
    data = undefined;
    return reply('250 OK: message caught');
  };

  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (data) dataLine(line);
      else command(line);
    }
  });
  socket.on('error', () => socket.destroy());
}
