// A local mail catcher for `make dev`: an SMTP sink (no delivery anywhere) and a web page listing what
// arrived, so invitation and password-reset e-mails can be read without a mail server.
//   SMTP_URL=smtp://127.0.0.1:1025 → the backend sends here; open http://127.0.0.1:1080 to read.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseMail, type CaughtMail } from './parse-mail.js';
import { renderInbox } from './render-inbox.js';
import { serveSmtpSession } from './smtp-session.js';

export type { CaughtMail } from './parse-mail.js';

export class MailCatcher {
  readonly mails: CaughtMail[] = [];
  smtpUrl = '';
  webUrl = '';
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly smtp: TcpServer,
    private readonly web: HttpServer,
  ) {}

  static async start(options: { smtpPort?: number; webPort?: number; host?: string } = {}): Promise<MailCatcher> {
    const host = options.host ?? '127.0.0.1';
    const catcher: MailCatcher = new MailCatcher(
      createTcpServer((socket) => {
        catcher.sockets.add(socket);
        socket.on('close', () => catcher.sockets.delete(socket));
        serveSmtpSession(socket, (envelope) => catcher.mails.unshift(parseMail(envelope)));
      }),
      createHttpServer((req, res) => {
        if (req.url?.startsWith('/mails.json')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ mails: catcher.mails }));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderInbox(catcher.mails));
      }),
    );
    const listen = (server: TcpServer | HttpServer, port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
    catcher.smtpUrl = `smtp://${host}:${await listen(catcher.smtp, options.smtpPort ?? 0)}`;
    try {
      catcher.webUrl = `http://${host}:${await listen(catcher.web, options.webPort ?? 0)}`;
    } catch (err) {
      await new Promise((resolve) => catcher.smtp.close(resolve));
      throw err;
    }
    return catcher;
  }

  /** The newest mail to an address. */
  lastTo(address: string): CaughtMail | undefined {
    return this.mails.find((m) => m.to.includes(address));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([new Promise((r) => this.smtp.close(r)), new Promise((r) => this.web.close(r))]);
  }
}
