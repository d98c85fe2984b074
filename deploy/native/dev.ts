// `make dev`: the whole stack as plain processes on this machine. Ctrl-C stops everything.
import { startMailCatcher } from './mail-catcher.js';
import { defaultStackOptions, startStack } from './stack.js';

// Invitations and password resets land in a local mail catcher (MAIL_CATCHER=0: no mail server, links shown in the portal).
const mail = await startMailCatcher();

// The console keeps to our progress and our services' errors; every process's full output is in the log
// files (VERBOSE=1 make dev prints it all, as before).
const options = defaultStackOptions({
  withPortal: process.env.NO_PORTAL !== '1', echo: process.env.VERBOSE === '1' ? 'all' : 'problems',
  // PUBLIC_URL=https://<tunnel> make dev: what Twilio is told to call (and signs); the API itself stays on 127.0.0.1.
  backendEnv: { ...(mail && { SMTP_URL: mail.smtpUrl }), ...(process.env.PUBLIC_URL && { PUBLIC_URL: process.env.PUBLIC_URL }) },
});
const started = Date.now();
try {
  const stack = await startStack(options);
  const line = '─'.repeat(64);
  console.log(`\n${line}\n Switchboard is running (native mode) — ready in ${Math.round((Date.now() - started) / 1000)} s\n${line}`);
  if (stack.urls.portal) console.log(` Portal       ${stack.urls.portal}`);
  console.log(` API          ${stack.urls.api}   (readiness: ${stack.urls.api}/readyz)`);
  console.log(` n8n editor   ${stack.urls.n8n}   (operator login: ${stack.env.N8N_INSTANCE_OWNER_EMAIL} / ${stack.env.N8N_OWNER_PASSWORD})`);
  console.log(stack.firstLogin ? ` ${stack.firstLogin.replace(/\n/g, '\n ')}` : ` Portal login: ${stack.env.SEED_ADMIN_EMAIL} (password: .run/dev/secrets.json adminPassword)`);
  // Agents need a model: from LLM_* in this shell, or set up by the agency in the portal (AI model page).
  const envKey = stack.env.LLM_API_KEY ?? process.env.LLM_API_KEY;
  console.log(envKey
    ? ` AI model     ${stack.env.LLM_MODEL ?? process.env.LLM_MODEL ?? 'gpt-4o-mini'} from LLM_* (the agency can set its own in the portal: AI model)`
    : ' AI model     not set up: sign in, open "AI model", enter an OpenAI-compatible base URL, API key and model, press Test\n              (or start with LLM_API_KEY=… [LLM_BASE_URL=… LLM_MODEL=…] make dev)');
  console.log(mail ? ` Mail         ${mail.webUrl}   (every e-mail the stack sends: invitations, password resets)` : ' Mail         not configured: invitation links are shown in the portal to whoever invites');
  console.log(` Logs         ${stack.stateDir}/logs/ (errors of the API, worker and portal also show here; VERBOSE=1 make dev shows everything)`);
  console.log(` Press Ctrl-C to stop.\n${line}\n`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the native stack…');
    await stack.stop();
    await mail?.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (err) {
  console.error(`\nThe native stack did not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
