import { Contract, ContractFactory, type InterfaceAbi, type Signer } from 'ethers';
import demoToken from '../../resources/contracts/build/DemoToken.json' with { type: 'json' };

/** One of demo mode's currencies on the local chain. */
export interface DemoTokenInfo {
  readonly address: string;
  readonly symbol: string;
  /** The ISO currency it stands for (its symbol names it). */
  readonly currency: string;
  readonly decimals: number;
  /** What the faucet gives each account, in the token's smallest unit. */
  readonly gift: bigint;
}

const artifact = demoToken as unknown as { abi: InterfaceAbi; bytecode: string };

/**
 * Demo mode's money: a demo euro and a demo yuan (resources/contracts/DemoToken.sol), so offers are
 * priced in the household's currency (the EU tariff's EUR, the Zhejiang tariff's CNY). Each
 * account gets 500 EURD and 5,000 CNYD: enough for a few dozen kWh at the tariffs' prices.
 */
const CURRENCIES = [
  { name: 'Demo Euro', symbol: 'EURD', currency: 'EUR', decimals: 6, gift: 500n * 10n ** 6n },
  { name: 'Demo Yuan', symbol: 'CNYD', currency: 'CNY', decimals: 6, gift: 5_000n * 10n ** 6n },
] as const;

/** Deploys the demo currencies from `minter` (the demo faucet, who alone may mint). */
export async function deployDemoTokens(minter: Signer): Promise<DemoTokenInfo[]> {
  const out: DemoTokenInfo[] = [];
  for (const c of CURRENCIES) {
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, minter);
    const token = await factory.deploy(c.name, c.symbol, c.decimals);
    await token.waitForDeployment();
    out.push({ address: await token.getAddress(), symbol: c.symbol, currency: c.currency, decimals: c.decimals, gift: c.gift });
  }
  return out;
}

/** Mints `amount` of a demo token to `to` (only the minter may). */
export async function mintDemoToken(minter: Signer, token: string, to: string, amount: bigint): Promise<void> {
  const c = new Contract(token, artifact.abi, minter);
  await (await c.getFunction('mint')(to, amount)).wait();
}
