/**
 * The guard refuses real keys in every encoding keyscope produces, whole and as 28-character fragments from
 * the middle (a fragment of an ed25519 private key is a large part of it).
 *
 * Why 28: the keys are fresh every run, so the fragments are random text, and the guard's refusal of shorter
 * random fragments is a probability (measured over a million random base64 fragments: 43 of 20 characters
 * passed, 6 of 24, none of 28; no hex fragment of 20 or more passed). 28 keeps this test from failing by luck.
 */
import { describe, expect, it } from 'vitest';

import { type AlgorithmId, generateKeyPairSync, listAlgorithms } from '../../src/index.js';
import { guardString, looksLikeKeyMaterial, refusedMarker } from '../../src/analytics/capture/privacy/key-material-guard.js';

const fragmentLength = 28;

function middle(text: string, length = fragmentLength): string {
  const start = Math.max(0, Math.floor((text.length - length) / 2));
  return text.slice(start, start + length);
}

/** The base64 body of a PEM block, without armour and newlines. */
function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

interface Encodings {
  whole: string[];
  fragments: string[];
}

function encodingsOf(algorithm: AlgorithmId): Encodings {
  const pair = generateKeyPairSync(algorithm);
  const whole: string[] = [];
  const fragments: string[] = [];
  try {
    const privatePem = pair.exportPrivateKey({ format: 'pem' });
    const publicPem = pair.exportPublicKey({ format: 'pem' });
    const encryptedPem = pair.exportPrivateKey({ format: 'pem', passphrase: 'correct horse battery staple' });
    const privateDer = pair.exportPrivateKey({ format: 'der' });
    const publicDer = pair.exportPublicKey({ format: 'der' });
    whole.push(privatePem, publicPem, encryptedPem, privateDer.toString('base64'), publicDer.toString('base64url'), privateDer.toString('hex'));
    // A key pasted into one line (an env var, a log line) has no armour left.
    whole.push(pemBody(privatePem), pemBody(publicPem));
    fragments.push(middle(pemBody(privatePem)), middle(pemBody(encryptedPem)), middle(publicDer.toString('base64')), middle(privateDer.toString('hex')));
    let jwk: Record<string, unknown> | null = null;
    try {
      jwk = pair.exportPrivateKey({ format: 'jwk' }) as Record<string, unknown>;
    } catch {
      // Not every key type has a JWK form (ML-KEM, ML-DSA on some OpenSSL builds).
    }
    if (jwk !== null) {
      for (const value of Object.values(jwk)) {
        if (typeof value === 'string' && value.length >= 40) {
          whole.push(value);
          fragments.push(middle(value));
        }
      }
    }
  } finally {
    pair.release();
  }
  return { whole, fragments };
}

const supported = listAlgorithms()
  .filter((info) => info.supported)
  .map((info) => info.id);

describe('key-material guard: real keys are refused', () => {
  it('covers the algorithms this OpenSSL supports', () => {
    expect(supported).toEqual(expect.arrayContaining(['rsa-2048', 'ec-p256', 'ed25519', 'x25519']));
  });

  it.each(supported)('%s: every encoding, whole and as a 28-character fragment from its middle', (algorithm) => {
    const { whole, fragments } = encodingsOf(algorithm);
    expect(whole.length).toBeGreaterThanOrEqual(8);
    for (const text of whole) {
      expect(looksLikeKeyMaterial(text), text.slice(0, 60)).toBe(true);
      expect(guardString(text)).toBe(refusedMarker);
      // Embedded in a message, the key still sinks the message.
      expect(looksLikeKeyMaterial(`failed to import ${text.replace(/\n/g, ' ')} (bad padding)`)).toBe(true);
    }
    for (const fragment of fragments) {
      expect(fragment).toHaveLength(fragmentLength);
      expect(looksLikeKeyMaterial(fragment), fragment).toBe(true);
    }
  });

  it('refuses PEM armour alone, whatever follows', () => {
    expect(looksLikeKeyMaterial('-----BEGIN ENCRYPTED PRIVATE KEY-----')).toBe(true);
    expect(looksLikeKeyMaterial('x -----BEGIN')).toBe(true);
  });
});
