/**
 * Who may talk to the dashboard: every request passes these steps, in this order, before any route runs.
 *   1. Security headers on every answer (also the 401/403 ones): a strict CSP (no inline script, nothing from
 *      outside), no sniffing, no referrer (the first URL carries the token).
 *   2. The Host header names the server (its bound host or localhost, with its port): a DNS-rebinding page
 *      reaches a loopback server under its own host name and is refused with 403. A server bound to a wildcard
 *      address (0.0.0.0, ::) is reached under names it cannot know; there the token alone decides.
 *   3. The access token: `?token=` (answered with an HttpOnly SameSite=Strict cookie and a redirect to the same
 *      URL without it, so the token leaves the address bar and the history), the cookie, or a Bearer header;
 *      compared in constant time (any of several cookies of our name may match). Anything else is 401.
 *   4. A cookie-authenticated request other than GET/HEAD must come from this origin (Origin header, or
 *      Sec-Fetch-Site: same-origin): another local port is the same site, so SameSite alone does not stop it. 403.
 */
import { timingSafeEqual } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { ErrorCodes } from '../../core/index.js';
import { apiErrorBody } from './api-error.js';

export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function cookieName(port: number): string {
  return `keyscope_dashboard_${port}`;
}

function sameToken(given: string, token: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

/**
 * Every value of cookie `name` in a Cookie header. Cookies ignore the port: a page on another local port can
 * set a cookie of the same name with a narrower Path, which the browser sends first, so all of them count.
 */
function readCookies(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) values.push(part.slice(separator + 1).trim());
  }
  return values;
}

/**
 * A cookie-authenticated write must come from the dashboard's own pages. SameSite=Strict does not stop another
 * port of the same host (same site, different origin) from posting with the cookie, so the Origin header must
 * be this server's own (the Host header, already checked), or the browser must say Sec-Fetch-Site: same-origin.
 */
function sameOriginRequest(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin.toLowerCase() === `http://${(request.headers.host ?? '').toLowerCase()}`;
  return request.headers['sec-fetch-site'] === 'same-origin';
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The Host header values this server answers to. */
export function allowedHosts(host: string, port: number): Set<string> {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return new Set([`${bracketed}:${port}`, `localhost:${port}`].map((value) => value.toLowerCase()));
}

export interface AccessControl {
  /** Fastify onRequest hook: answers 403/401/302 itself, or lets the request through. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function createAccessControl(options: { token: string; host: string; port: () => number }): AccessControl {
  const token = Buffer.from(options.token);
  return {
    async check(request, reply) {
      reply.headers(securityHeaders);
      const url = new URL(request.url, 'http://dashboard.invalid');
      if (url.pathname.startsWith('/api/') || url.pathname === '/metrics') reply.header('cache-control', 'no-store');
      const port = options.port();
      if (!isWildcard(options.host)) {
        const hostHeader = (request.headers.host ?? '').toLowerCase();
        if (!allowedHosts(options.host, port).has(hostHeader)) {
          await reply.code(403).send(apiErrorBody(ErrorCodes.dashboardForbiddenHost, `host ${JSON.stringify(request.headers.host ?? '')} is not this dashboard`));
          return reply;
        }
      }
      const fromQuery = url.searchParams.get('token');
      if (fromQuery !== null) {
        if (!sameToken(fromQuery, token)) {
          await reply.code(401).send(apiErrorBody(ErrorCodes.dashboardUnauthorized, 'wrong access token'));
          return reply;
        }
        url.searchParams.delete('token');
        const rest = url.searchParams.toString();
        reply.header('set-cookie', `${cookieName(port)}=${options.token}; HttpOnly; SameSite=Strict; Path=/`);
        await reply.redirect(`${url.pathname}${rest === '' ? '' : `?${rest}`}`, 302);
        return reply;
      }
      const authorization = request.headers.authorization;
      const bearer = authorization !== undefined && /^Bearer /i.test(authorization) ? authorization.slice(7).trim() : null;
      // A script's Bearer header is not something a browser adds by itself: no Origin needed.
      if (bearer !== null && sameToken(bearer, token)) return;
      if (readCookies(request.headers.cookie, cookieName(port)).some((cookie) => sameToken(cookie, token))) {
        if (request.method === 'GET' || request.method === 'HEAD' || sameOriginRequest(request)) return;
        await reply.code(403).send(apiErrorBody(ErrorCodes.dashboardForbiddenOrigin, `a ${request.method} with the dashboard's cookie must come from its own pages (Origin ${JSON.stringify(request.headers.origin ?? '')})`));
        return reply;
      }
      await reply.code(401).send(apiErrorBody(ErrorCodes.dashboardUnauthorized, 'this dashboard needs its access token (open the URL keyscope dashboard printed)'));
      return reply;
    },
  };
}
