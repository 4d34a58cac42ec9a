import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58, base58check, bech32, bech32m } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { fail } from './errors';

const b58check = base58check(sha256);

export const WALLET_CHAINS = ['btc', 'ltc', 'eth', 'trx', 'sol'] as const;
export type WalletChain = (typeof WALLET_CHAINS)[number];

/** Chain names people and payment URIs use, mapped to ours. EVM chains share one address space. */
const CHAIN_ALIASES: Record<string, WalletChain> = {
  btc: 'btc',
  bitcoin: 'btc',
  ltc: 'ltc',
  litecoin: 'ltc',
  eth: 'eth',
  ethereum: 'eth',
  evm: 'eth',
  bsc: 'eth',
  polygon: 'eth',
  base: 'eth',
  arbitrum: 'eth',
  trx: 'trx',
  tron: 'trx',
  sol: 'sol',
  solana: 'sol',
};
export const walletChainOf = (name: string): WalletChain | undefined => CHAIN_ALIASES[name.toLowerCase()];

const BASE58_VERSIONS: Record<'btc' | 'ltc' | 'trx', number[]> = { btc: [0x00, 0x05], ltc: [0x30, 0x32, 0x05], trx: [0x41] };
const BECH32_PREFIX: Record<'btc' | 'ltc', string> = { btc: 'bc', ltc: 'ltc' };

function decodeSegwit(address: string, hrp: string): string | null {
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) return null; // mixed case is invalid bech32
  for (const codec of [bech32, bech32m]) {
    try {
      const { prefix, words } = codec.decode(lower as `${string}1${string}`, 90);
      const version = words[0];
      if (prefix !== hrp || version === undefined || version > 16) return null;
      // BIP-350: version 0 uses bech32, later versions bech32m.
      if ((version === 0) !== (codec === bech32)) return null;
      const program = codec.fromWords(words.slice(1));
      if (program.length < 2 || program.length > 40 || (version === 0 && program.length !== 20 && program.length !== 32)) return null;
      return lower;
    } catch {
      /* try the other checksum */
    }
  }
  return null;
}

function decodeBase58Check(address: string, versions: number[]): string | null {
  try {
    const payload = b58check.decode(address);
    return payload.length === 21 && versions.includes(payload[0]!) ? address : null;
  } catch {
    return null;
  }
}

function ethAddress(address: string): string | null {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return null;
  const hex = address.slice(2);
  const lower = hex.toLowerCase();
  if (hex !== lower && hex !== hex.toUpperCase()) {
    // Mixed case carries an EIP-55 checksum: every letter's case is a bit of keccak256(lower-case hex).
    const hash = keccak_256(new TextEncoder().encode(lower));
    for (let i = 0; i < 40; i++) {
      const nibble = (hash[i >> 1]! >> (i % 2 ? 0 : 4)) & 0xf;
      const expectUpper = nibble >= 8;
      if (/[a-f]/.test(lower[i]!) && (hex[i] === hex[i]!.toUpperCase()) !== expectUpper) return null;
    }
  }
  return `0x${lower}`;
}

function solAddress(address: string): string | null {
  try {
    return /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address) && base58.decode(address).length === 32 ? address : null;
  } catch {
    return null;
  }
}

/** Canonical address for a chain, or null when it does not check out (checksums included). */
export function canonicalWallet(chain: WalletChain, address: string): string | null {
  switch (chain) {
    case 'eth':
      return ethAddress(address);
    case 'sol':
      return solAddress(address);
    case 'trx':
      return decodeBase58Check(address, BASE58_VERSIONS.trx);
    case 'btc':
    case 'ltc':
      return address.toLowerCase().startsWith(`${BECH32_PREFIX[chain]}1`)
        ? decodeSegwit(address, BECH32_PREFIX[chain])
        : decodeBase58Check(address, BASE58_VERSIONS[chain]);
  }
}

/** Which chain a bare address belongs to by its shape; Solana has no tell-tale shape and needs `sol:`. */
export function guessWalletChain(address: string): WalletChain | null {
  if (/^0x[0-9a-fA-F]{40}$/.test(address)) return 'eth';
  if (/^(bc1|BC1)[0-9a-zA-Z]{8,87}$/.test(address) || /^[13][1-9A-HJ-NP-Za-km-z]{24,33}$/.test(address)) return 'btc';
  if (/^(ltc1|LTC1)[0-9a-zA-Z]{8,86}$/.test(address) || /^[LM][1-9A-HJ-NP-Za-km-z]{26,33}$/.test(address)) return 'ltc';
  if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(address)) return 'trx';
  return null;
}

export function parseWallet(chainName: string, rawAddress: string): string {
  const chain = walletChainOf(chainName);
  if (!chain) return fail('invalid_wallet', `Unknown chain "${chainName}"; use one of ${WALLET_CHAINS.join(', ')}.`);
  // Payment URIs (BIP-21, EIP-681) carry the address before any "?amount=" or "@chainId".
  const address = rawAddress.trim().replace(/^\/\//, '').split(/[?@/]/)[0]!;
  const canonical = canonicalWallet(chain, address);
  if (!canonical) fail('invalid_wallet', `"${address}" is not a valid ${chain} address (its checksum or format does not match).`);
  return `${chain}:${canonical}`;
}
