import type { Api } from '#lib/server/api.js';

declare global {
  namespace App {
    interface Error {
      status: number;
      message: string;
      /** Shown on the error page so a support request can be matched to the logs. */
      requestId?: string;
    }
    interface Locals {
      requestId: string;
      /** The visitor's address as this server sees it (hooks.server.ts); vouched for to the API. */
      clientAddress: string;
      /** Backend client bound to this request (it forwards the request id). */
      api: Api;
    }
  }
}

export {};
