// Types of the vmargin package (hand-written; checked by `tsc --strict` in
// make test against wasm/examples/usage.mjs). Field names are those of the
// JSON formats in docs/spec.md and docs/formats.md; every amount, price and
// ratio is a canonical decimal string; every integer of an output is a
// bigint (exact beyond 2^53); the acceptance state is an opaque token.

/** A canonical decimal string, e.g. "61000", "-0.25", "0.000000000000000001". */
export type Decimal = string;
/**
 * An integer in an input: a bigint, or a JS number that is a safe integer
 * (|n| <= 2^53 - 1; a larger number is rejected with wrong_type, since it may
 * already have been rounded).
 */
export type IntegerInput = bigint | number;
/** Milliseconds since the Unix epoch, as an input. */
export type TimestampMs = IntegerInput;
/** An integer in an output: always a bigint, exact (versions, sequences and times can exceed 2^53). */
export type Integer = bigint;
/** Milliseconds since the Unix epoch, in an output. */
export type TimestampMsOut = bigint;

/**
 * The acceptance state (docs/formats.md §8) as the package keeps it: an
 * opaque string, "vmargin-state/1:<BLAKE2b-256 of the JSON, hex>:<the
 * state's canonical JSON>". Store it as it is and pass it back unchanged: a
 * modified or cut-short token is rejected (bad_encoding at /state), never
 * read as "nothing accepted yet". importState/exportState convert from/to
 * the CLI's --save-state JSON.
 */
export type StateToken = string & { readonly __vmarginState: unique symbol };

export interface Tier {
  max_notional: Decimal | null;
  initial_rate: Decimal;
  maintenance_rate: Decimal;
  /** Left out: derived by continuity, exactly (docs/spec.md §3.1 "Tables as published"). */
  initial_amount?: Decimal;
  /** Left out: derived by continuity, exactly (docs/spec.md §3.1 "Tables as published"). */
  maintenance_amount?: Decimal;
}

export interface MarketParameters {
  kind: 'linear_perpetual' | 'linear_future' | 'inverse_perpetual' | 'inverse_future';
  feed: string;
  settlement_asset: string;
  contract_size?: Decimal;
  expiry?: TimestampMs;
  tick_size: Decimal;
  lot_size: Decimal;
  tiers: Tier[];
  size_premium_factor: Decimal;
  liquidation_fee_rate: Decimal;
  /** Weight of the position's profit in initial equity, in [0, 1] (docs/spec.md §5.10). */
  initial_profit_weight?: Decimal;
  /** Drift's size discount of that profit (§5.10). */
  profit_size_factor?: Decimal;
  /** Weight of the profit in equity, in [initial_profit_weight (1 if absent), 1] (§5.10). */
  maintenance_profit_weight?: Decimal;
  /** dYdX-style open-interest margin (docs/spec.md §5.7); caps in the margin asset. */
  open_interest_scaling?: { lower_cap: Decimal; upper_cap: Decimal };
}

export interface CollateralAssetParameters {
  feed: string | null;
  initial_weight: Decimal;
  maintenance_weight: Decimal;
  initial_liability_weight: Decimal;
  maintenance_liability_weight: Decimal;
  size_factor: Decimal;
  volatility_haircut: Decimal;
  /** Mango-style deposit limit in the valuation currency (docs/spec.md §5.8). */
  deposit_weight_scale_start?: Decimal;
}

/** Option rules of one underlying feed (docs/spec.md §13.1). */
export interface OptionRules {
  max_spot_rate: Decimal;
  min_spot_rate: Decimal;
  call_maintenance_rate: Decimal;
  put_maintenance_rate: Decimal;
  put_maintenance_mark_rate: Decimal;
  put_initial_floor: Decimal;
  unpaired_initial_scale: Decimal;
  unpaired_maintenance_scale: Decimal;
  /** Share of a long option's value counted toward equity, in [0, 1]. */
  long_value_weight: Decimal;
  /** The grid of the pools' price boundaries on this feed. */
  index_tick_size: Decimal;
}

/** A European, cash-settled option (docs/spec.md §13.1). */
export interface OptionMarketParameters {
  feed: string;
  settlement_asset: string;
  type: 'call' | 'put';
  margining: 'linear' | 'inverse';
  expiry: TimestampMs;
  strike: Decimal;
  lot_size: Decimal;
}

/** Raw SVI: total variance w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2)). */
export interface SviParameters {
  a: Decimal;
  b: Decimal;
  rho: Decimal;
  m: Decimal;
  sigma: Decimal;
  /** The fit's reference forward. */
  forward: Decimal;
  /** The fit's reference time, in years. */
  tau: Decimal;
}

export interface OptionExpiryData {
  forward: Decimal;
  rate: Decimal;
  settlement_price?: Decimal;
  svi: SviParameters;
}

export interface RiskParameters {
  version: IntegerInput;
  margin_call_ratio: Decimal;
  liquidation_buffer_ratio: Decimal;
  assets: Record<string, CollateralAssetParameters>;
  feeds: Record<string, { volatility_reference: Decimal; max_volatility_multiplier: Decimal }>;
  markets: Record<string, MarketParameters>;
  option_rules?: Record<string, OptionRules>;
  option_markets?: Record<string, OptionMarketParameters>;
}

export interface Prices {
  as_of: TimestampMs;
  feeds: Record<string, { mark: Decimal; stable?: Decimal; volatility?: Decimal }>;
  /** feed -> expiry time in ms (as a decimal string key) -> data. */
  option_expiries?: Record<string, Record<string, OptionExpiryData>>;
  /** market -> open interest (one side, base units or contracts), §3.2. */
  open_interest?: Record<string, Decimal>;
  /** asset -> the exchange's total deposits of it, §3.2. */
  total_deposits?: Record<string, Decimal>;
}

export interface Position {
  quantity: Decimal;
  entry_price: Decimal;
  pending_funding?: Decimal;
  isolated_margin?: Decimal;
}

export interface Account {
  id: string;
  /** The cross pool's margin (docs/spec.md §14); "standard" when absent. */
  margin_mode?: 'standard' | 'portfolio';
  /** Hedge mode holds a long and a short leg per market (docs/spec.md §3.3); "one_way" when absent. */
  position_mode?: 'one_way' | 'hedge';
  collateral: Record<string, Decimal>;
  /** Keyed by market id; in hedge mode perpetual and future legs by "<market>:long" / "<market>:short". */
  positions: Record<string, Position>;
  /** Resting limit orders, counted in the initial margin (docs/spec.md §5.9). */
  open_orders?: OpenOrder[];
}

export interface OpenOrder {
  market: string;
  side: 'buy' | 'sell';
  quantity: Decimal;
  /** The limit price. */
  price: Decimal;
  /** Never counted: it can only close exposure. Default false. */
  reduce_only?: boolean;
}

export interface Scenario {
  shocks?: Record<string, Decimal>;
  collateral?: Record<string, Decimal>;
  orders?: { market: string; quantity: Decimal; price?: Decimal }[];
  /** Vol points added to every implied volatility of the feed's options (10 = +0.10). */
  volatility_shocks?: Record<string, Decimal>;
  /** Time decay: evaluate this many days later. */
  days_forward?: IntegerInput;
}

export interface EvaluationInput {
  risk_parameters: RiskParameters;
  prices: Prices;
  account: Account;
  scenario?: Scenario;
}

export type Status = 'healthy' | 'margin_call' | 'liquidatable' | 'bankrupt';

export interface PoolReport {
  collateral_value: Decimal;
  maintenance_collateral_value: Decimal;
  initial_collateral_value: Decimal;
  unrealized_pnl: Decimal;
  equity: Decimal;
  initial_equity: Decimal;
  health: Decimal;
  initial_margin: Decimal;
  maintenance_margin: Decimal;
  free_collateral: Decimal;
  margin_ratio: Decimal | null;
  status: Status;
  /** Only when the account has open orders: their part of initial_margin (§5.9). */
  open_orders_margin?: Decimal;
  insurance_fund_shortfall: Decimal;
  /** docs/spec.md §7.3, for liquidatable and bankrupt pools. */
  liquidation_plan: { [field: string]: unknown } | null;
  /** Accounts holding options only (§13.6): what the pool's options count toward equity. */
  option_value?: Decimal;
  /** Accounts holding options only: true for a liquidatable pool with options (no plan yet). */
  liquidation_plan_unavailable?: boolean;
  /** Accounts holding options only: per underlying of the pool's options (§13.5). */
  price_boundaries?: Record<string, PriceBoundaries>;
  /** Portfolio-margin pools: liquidation prices are not computed yet (§14). */
  liquidation_prices_unavailable?: 'portfolio_margin';
}

/** Nearest grid prices below and above the index where the pool becomes liquidatable or bankrupt. */
export interface PriceBoundaries {
  liquidation_below: Decimal | null;
  liquidation_above: Decimal | null;
  bankruptcy_below: Decimal | null;
  bankruptcy_above: Decimal | null;
}

/**
 * Greeks per position or summed (docs/spec.md §12.2): delta in units of the
 * underlying, gamma per 1 unit of quote currency of the index, vega per 1.00
 * of volatility and per vol point, theta per year and per day (valuation currency).
 */
export interface Greeks {
  delta: Decimal;
  gamma: Decimal;
  vega: Decimal;
  vega_per_point: Decimal;
  theta_per_year: Decimal;
  theta_per_day: Decimal;
}

export interface OptionPositionReport {
  feed: string;
  type: 'call' | 'put';
  margining: 'linear' | 'inverse';
  pool: 'cross' | 'isolated';
  strike: Decimal;
  expiry: TimestampMsOut;
  quantity: Decimal;
  entry_price: Decimal;
  index_price: Decimal;
  forward: Decimal;
  volatility: Decimal;
  seconds_to_expiry: Integer;
  settled: boolean;
  /** The option's value per unit (call or put; intrinsic once settled). */
  mark_price: Decimal;
  value: Decimal;
  equity_value: Decimal;
  unrealized_pnl: Decimal;
  initial_margin: Decimal;
  maintenance_margin: Decimal;
  greeks: Greeks;
}

export interface OptionExpiryReport {
  /** "cross" or the isolated pool's market id. */
  pool: string;
  feed: string;
  expiry: TimestampMsOut;
  forward: Decimal;
  standard_initial: Decimal;
  standard_maintenance: Decimal;
  netted_initial: Decimal;
  netted_maintenance: Decimal;
  initial_margin: Decimal;
  maintenance_margin: Decimal;
  greeks: Greeks;
}

export interface PositionReport {
  kind: MarketParameters['kind'];
  pool: string;
  quantity: Decimal;
  entry_price: Decimal;
  mark_price: Decimal;
  notional: Decimal;
  tier_notional: Decimal;
  tier: Integer;
  unrealized_pnl: Decimal;
  pending_funding: Decimal;
  initial_margin: Decimal;
  maintenance_margin: Decimal;
  initial_margin_basis: string;
  maintenance_margin_basis: string;
  size_premium: { initial_rate: Decimal; maintenance_rate: Decimal } | null;
  volatility_multiplier: Decimal;
  liquidation_price: Decimal | null;
  bankruptcy_price: Decimal | null;
  adl_index: Decimal | null;
  /** Only for markets with open_interest_scaling: what it adds to initial_margin (§5.7). */
  open_interest_margin?: Decimal;
  /** Only for markets that weigh profit: the PnL initial equity counts (§5.10). */
  initial_unrealized_pnl?: Decimal;
  /** Only for markets with a maintenance profit weight: the PnL equity counts (§5.10). */
  maintenance_unrealized_pnl?: Decimal;
}

export interface CollateralReport {
  balance: Decimal;
  price: Decimal;
  value: Decimal;
  initial_weight: Decimal;
  maintenance_weight: Decimal;
  initial_value: Decimal;
  maintenance_value: Decimal;
  /** Only for assets with a deposit limit: the deposits' value compared, null for non-positive balances (§5.8). */
  total_deposits_value?: Decimal | null;
}

/** The report of docs/spec.md §8. */
export interface Report {
  account: string;
  as_of: TimestampMsOut;
  risk_parameters_version: Integer;
  cross: PoolReport;
  isolated: Record<string, PoolReport>;
  positions: Record<string, PositionReport>;
  collateral: Record<string, CollateralReport>;
  /** Accounts holding options only (docs/spec.md §13.6). */
  option_positions?: Record<string, OptionPositionReport>;
  option_expiries?: OptionExpiryReport[];
  option_underlyings?: Record<string, Greeks>;
  /** Portfolio-margin accounts only (docs/spec.md §14). */
  margin_mode?: 'portfolio';
  portfolio_margin?: Record<string, PortfolioMarginReport>;
}

/** One underlying's scenario grid and requirements under portfolio margin (§14). */
export interface PortfolioMarginReport {
  scenarios: { spot_move: Decimal; volatility: 'up' | 'unchanged' | 'down'; pnl: Decimal }[];
  /** Index into `scenarios` of the first worst one (parameter order). */
  worst_index: Integer;
  worst_pnl: Decimal;
  worst_loss: Decimal;
  option_contingency: Decimal;
  future_contingency: Decimal;
  initial_margin: Decimal;
  maintenance_margin: Decimal;
}

export interface LargestOrderQuery {
  market: string;
  side: 'buy' | 'sell';
  price?: Decimal;
}

export interface LargestOrderInput extends EvaluationInput {
  query: LargestOrderQuery;
}

export interface LargestOrderResult {
  market: string;
  side: 'buy' | 'sell';
  /** The fill price. */
  price: Decimal;
  /** Signed: a whole number of lots. */
  quantity: Decimal;
  /** The pool the order lands in, after the order (no liquidation prices, no plan). */
  pool_after: PoolReport;
}

/** The verifier's own root of trust (docs/formats.md §3). */
export interface TrustStore {
  keys: Record<string, { public_key: string; roles: ('parameters' | 'oracle' | 'snapshot' | 'statement')[] }>;
}

/**
 * The acceptance state's JSON (docs/formats.md §8), as exportState returns
 * it and the CLI's --state file holds it. Read it with a parser that keeps
 * integers exact: JSON.parse rounds a sequence or time beyond 2^53.
 */
export interface AcceptanceStateDocument {
  risk_parameters?: { version: Integer; digest: string };
  sources: Record<string, Record<string, { sequence: Integer; publish_time: TimestampMsOut }>>;
  option_sources?: Record<string, Record<string, Record<string, { sequence: Integer; publish_time: TimestampMsOut }>>>;
}

export type DropReason =
  | 'wrong_document_type'
  | 'unknown_key'
  | 'wrong_role'
  | 'bad_signature'
  | 'unknown_feed'
  | 'not_a_source'
  | 'non_positive_price'
  | 'stale'
  | 'future'
  | 'confidence'
  | 'outside_band'
  | 'not_fresher'
  | 'duplicate_source';

export interface Verification {
  risk_parameters: {
    key_id: string;
    version: Integer;
    digest: string;
    valid_from: TimestampMsOut;
    valid_until: TimestampMsOut;
  };
  snapshot: { key_id: string; id: string; as_of: TimestampMsOut };
  statement: { key_id: string; id: string; as_of: TimestampMsOut };
  feeds: Record<
    string,
    {
      mark: Decimal;
      stable: Decimal;
      previous_stable: Decimal | null;
      volatility: Decimal | null;
      quorum: Integer;
      sources_used: Integer;
    }
  >;
  messages: {
    index: Integer;
    key_id: string;
    feed: string | null;
    price: Decimal | null;
    status: 'used' | 'dropped';
    reason: DropReason | null;
    detail: string | null;
  }[];
}

/** A verified evaluation: the report, how its inputs were verified, and the next state to keep. */
export interface VerifiedResult {
  report: Report;
  verification: Verification;
  /** The next acceptance state: keep it as it is for the next verification. */
  state: StateToken;
}

/**
 * An envelope's exact bytes: its text, or the bytes themselves (a parsed
 * envelope is rejected with wrong_type: it has lost the signed bytes).
 */
export type EnvelopeBytes = string | Uint8Array;

/** Signed documents are passed as their exact envelope bytes (a byte changed is a rejection). */
export interface SignedInputs {
  trust: TrustStore | string;
  /** A token a previous verification returned; absent (undefined or null): nothing accepted yet. */
  state?: StateToken | null;
  params: EnvelopeBytes;
  snapshot: EnvelopeBytes;
  statement: EnvelopeBytes;
}

/** The versions a comparison names; given (bare report) as integers, returned as bigints. */
export interface InputVersions {
  risk_parameters_version: IntegerInput;
  as_of: TimestampMs;
  snapshot_id?: string;
}

export interface ComparedInputs {
  risk_parameters_version: Integer;
  as_of: TimestampMsOut;
  snapshot_id?: string;
}

export interface FieldDifference {
  path: string;
  kind: 'differs' | 'missing' | 'extra';
  recomputed?: unknown;
  published?: unknown;
}

export interface Comparison {
  match: boolean;
  account: string;
  inputs: ComparedInputs;
  differences: FieldDifference[];
}

export interface Session {
  /** What was verified when the session opened. */
  readonly description: {
    risk_parameters: Verification['risk_parameters'];
    statement: Verification['statement'];
    state: StateToken;
  };
  /** Verifies one signed snapshot (its envelope bytes) and evaluates the session's account. */
  tick(snapshot: EnvelopeBytes): VerifiedResult;
  /** The acceptance state token now. */
  readonly state: StateToken;
  readonly closed: boolean;
  /** Frees the session in the module; idempotent. */
  close(): void;
}

/** The documents a market handle is opened with: each an object or its JSON text. */
export interface MarketInputs {
  risk_parameters: RiskParameters | string;
  prices: Prices | string;
}

/**
 * Risk parameters and prices decoded and validated once (openMarket), then
 * any number of accounts evaluated against them. Every result is the
 * stateless evaluate()'s with the same documents, byte for byte; errors
 * carry the same codes and paths (/account/..., /scenario/..., /prices/...).
 */
export interface Market {
  /** The report of one account (an object or its JSON text), the scenario (if any) applied first. */
  evaluate(account: Account | string, scenario?: Scenario | string | null): Report;
  /** The same report as its canonical JSON text (byte-identical to the native engine's). */
  evaluateText(account: Account | string, scenario?: Scenario | string | null): string;
  /** The largest order that still meets the initial requirement, as largestOrder() with the same documents. */
  largestOrder(account: Account | string, query: LargestOrderQuery | string, scenario?: Scenario | string | null): LargestOrderResult;
  /** Replaces the prices (a tick); on an error (thrown) the market keeps the prices it had. */
  updatePrices(prices: Prices | string): void;
  readonly closed: boolean;
  /** Frees the market in the module; idempotent (also Symbol.dispose, for `using`). Any later call throws invalid_value. */
  close(): void;
}

/** A watch book opened plain (risk parameters) or signed (trust store, state, parameters envelope). */
export type WatchInputs =
  | { risk_parameters: RiskParameters | string; insuranceFund?: string }
  | { trust: TrustStore | string; state?: StateToken | null; params: EnvelopeBytes; insuranceFund?: string };

/** One watch event (docs/formats.md §10): status, account_error, adl, system or rejected. */
export interface WatchEvent {
  type: 'status' | 'account_error' | 'adl' | 'system' | 'rejected';
  input: 'accounts' | 'stream';
  line: bigint;
  as_of?: bigint;
  /** The rest of the event's fields, as docs/formats.md §10 lists them per type. */
  [field: string]: unknown;
}

/**
 * Many accounts kept evaluated at the latest prices (a keeper in Node, a
 * wallet with sub-accounts): each account or stream line returns the events
 * it caused, exactly those of `vmargin watch` for the same lines.
 */
export interface WatchBook {
  /** An account (plain: a document; signed: a statement envelope): added, or replaced by id. */
  addAccount(account: Account | EnvelopeBytes): WatchEvent[];
  addAccountText(account: Account | EnvelopeBytes): string;
  /** A stream line: plain {prices} or {account}; signed, a snapshot or statement envelope. */
  push(line: { prices: Prices } | { account: Account } | EnvelopeBytes): WatchEvent[];
  /** The same events as canonical JSON Lines text (byte-identical to the CLI's). */
  pushText(line: { prices: Prices } | { account: Account } | EnvelopeBytes): string;
  /** Signed books: the acceptance state token after the last accepted snapshot; null for plain books. */
  readonly state: StateToken | null;
  readonly closed: boolean;
  close(): void;
}

export interface VMargin {
  readonly version: string;
  /** A report from plain inputs (an object, or its JSON text). */
  evaluate(input: EvaluationInput | string): Report;
  /** The largest order that still meets the initial requirement. */
  largestOrder(input: LargestOrderInput | string): LargestOrderResult;
  /** Verifies signed inputs, then evaluates. */
  verifyEvaluate(inputs: SignedInputs): VerifiedResult;
  /**
   * Compares a recomputed result with the exchange's published report, field
   * by field. Given a VerifiedResult the inputs are taken from it; given a
   * bare Report they must be passed. `published` is an object or, to keep
   * its integers exact, the exchange's JSON text.
   */
  verify(result: VerifiedResult | Report, published: unknown, inputs?: InputVersions): Comparison;
  /** Parameters and statement verified once; then one tick per signed snapshot. */
  openSession(inputs: Omit<SignedInputs, 'snapshot'>): Session;
  /** Risk parameters and prices loaded once; accounts evaluated against them in microseconds. */
  openMarket(inputs: MarketInputs): Market;
  /** A watch book: accounts loaded once, events per price line (docs/formats.md §10). */
  openWatch(inputs: WatchInputs): WatchBook;
  /**
   * A state document's JSON text (as the CLI's --save-state writes it: the
   * canonical JSON, one trailing newline allowed) as a token, checked
   * strictly (errors at /state; non_canonical when not the engine's bytes).
   */
  importState(json: string): StateToken;
  /** The canonical JSON inside a checked token (what the CLI's --state reads, without the newline). */
  exportState(state: StateToken): string;
  /** Bytes allocated on the module's heap, the module's memory size, open sessions and markets (leak checks). */
  diagnostics(): {
    heapBytesInUse: number;
    memoryBytes: number;
    openSessions: number;
    openMarkets: number;
    openWatches: number;
  };
}

/**
 * Codes raised by the package itself, beyond the engine's (docs/errors.md):
 * init_failed (the module could not be loaded), out_of_memory (a call needed
 * more memory than the module can have; the instance was replaced and its
 * sessions closed), internal_error (the engine stopped on a defect; likewise).
 */
export type PackageErrorCode = 'init_failed' | 'out_of_memory' | 'internal_error';

export declare class VMarginError extends Error {
  /** Stable error code (docs/errors.md), or a PackageErrorCode. */
  readonly code: string;
  /** JSON pointer of the offending value; "" when none. */
  readonly path: string;
  /** The message without code and path. */
  readonly detail: string;
}

/** Loads the engine once (memoised); rejects with a VMarginError("init_failed") if it cannot. */
export declare function init(): Promise<VMargin>;
