import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface Passwords {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Burns the time of one verification, so an unknown e-mail answers as slowly as a wrong password; always false. */
  verifyNothing(password: string): Promise<false>;
}

export async function createPasswords(): Promise<Passwords> {
  const decoy = await argon2.hash(randomBytes(16).toString('hex'), options);
  return {
    hash: (password) => argon2.hash(password, options),
    verify: (hash, password) => argon2.verify(hash, password),
    verifyNothing: async (password) => {
      await argon2.verify(decoy, password);
      return false;
    },
  };
}
