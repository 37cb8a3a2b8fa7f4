/**
 * The signature nonces the emulator has accepted, each kept while a request carrying it could
 * still pass the date check: a captured signed request replayed inside that window is refused
 * (ECS's SignatureNonceUsed) instead of acting twice.
 */
/** Expired nonces are swept at most this often, not on every request. */
const SWEEP_EVERY_MS = 10_000;

export class NonceRegister {
  readonly #expiresAt = new Map<string, number>();
  #nextSweepMs = 0;

  /**
   * Records `nonce` of `accessKeyId` until `expiresAtMs`; false when it is already recorded and
   * not yet expired. Only signed requests are recorded, so an unsigned flood cannot fill it.
   */
  claim(accessKeyId: string, nonce: string, expiresAtMs: number, nowMs: number): boolean {
    this.#forgetExpired(nowMs);
    const key = `${accessKeyId}\n${nonce}`;
    const held = this.#expiresAt.get(key);
    if (held !== undefined && held > nowMs) return false;
    this.#expiresAt.set(key, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.#expiresAt.size;
  }

  #forgetExpired(nowMs: number): void {
    if (nowMs < this.#nextSweepMs) return;
    this.#nextSweepMs = nowMs + SWEEP_EVERY_MS;
    for (const [key, at] of this.#expiresAt) if (at <= nowMs) this.#expiresAt.delete(key);
  }
}
