/**
 * The parts of EnergyLedger the market uses, as human-readable ABI: EnergyMarket's functions, events
 * and errors (resources/contracts/EnergyMarket.sol) plus the ledger reads that back a seller's record.
 * Kept by hand so the main process needs no build artifact; the market tests run against the
 * compiled contract through this ABI, so a drift fails them.
 */
const OFFER = '(address seller,bytes32 meterId,uint64 energyWh,uint64 minFillWh,uint256 pricePerKWh,address token,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint256 nonce)';
const LEAF = '(uint64 intervalStart,uint32 seconds_,uint64 importWh,uint64 exportWh,bytes32 salt)';
const REGION_PATH = '(bytes32 regionId,bytes32 meterDayRoot,uint64 importWh,uint64 exportWh,bytes32 salt,bytes32[] path)';
const DAY_PROOF = `(uint32 day,${LEAF}[] leaves,bytes32[] proof,bool[] proofFlags,${REGION_PATH} region)`;
const RECORD =
  '(address seller,uint64 energyWh,address token,uint64 filledWh,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint64 provenWh,bytes32 meterId,uint256 pricePerKWh,uint256 escrow,uint256 sellerPaid,bool cancelled,bool settled,uint64 minFillWh)';

export const ENERGY_MARKET_ABI = [
  `function hashOffer(${OFFER} offer) view returns (bytes32)`,
  `function publishOffer(${OFFER} offer, bytes signature) returns (bytes32)`,
  'function fill(bytes32 offerHash, uint64 energyWh) payable',
  'function cancel(bytes32 offerHash)',
  `function cancelUnpublished(${OFFER} offer)`,
  `function settle(bytes32 offerHash, ${DAY_PROOF}[] days_)`,
  'function reclaim(bytes32 offerHash) returns (uint256)',
  `function offerRecord(bytes32 offerHash) view returns (${RECORD})`,
  'function buyersOf(bytes32 offerHash) view returns (address[])',
  'function fillOf(bytes32 offerHash, address buyer) view returns ((uint64 energyWh,uint256 paid,bool reclaimed))',
  'function costOf(uint64 energyWh, uint256 pricePerKWh) pure returns (uint256)',
  'function usedExportWh(bytes32 meterId, uint64 intervalStart) view returns (uint64)',
  'function cancelledOffer(bytes32 offerHash) view returns (bool)',
  'function eip712Domain() view returns (bytes1 fields,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt,uint256[] extensions)',
  'event OfferPublished(bytes32 indexed offerHash,address indexed seller,bytes32 indexed meterId,uint64 energyWh,uint64 minFillWh,uint256 pricePerKWh,address token,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint256 nonce)',
  'event OfferFilled(bytes32 indexed offerHash,address indexed buyer,uint64 energyWh,uint256 paid)',
  'event OfferCancelled(bytes32 indexed offerHash,uint64 unfilledWh)',
  'event OfferSettled(bytes32 indexed offerHash,uint64 provenWh,uint64 deliveredWh,uint256 sellerPaid)',
  'event EscrowReclaimed(bytes32 indexed offerHash,address indexed buyer,uint256 amount)',
  'error InvalidSignature()',
  'error NotMeterOwner(bytes32 meterId,address seller)',
  'error InvalidWindow()',
  'error OfferExpired(bytes32 offerHash)',
  'error OfferCancelledError(bytes32 offerHash)',
  'error AlreadyPublished(bytes32 offerHash)',
  'error UnknownOffer(bytes32 offerHash)',
  'error ZeroAmount()',
  'error OverFill(bytes32 offerHash,uint64 requestedWh,uint64 availableWh)',
  'error WrongPayment(uint256 expected,uint256 sent)',
  'error TooManyBuyers()',
  'error NotSeller()',
  'error AlreadySettled(bytes32 offerHash)',
  'error NothingSold(bytes32 offerHash)',
  'error SettlementTooEarly(uint64 deliveryEnd)',
  'error SettlementClosed(uint64 deadline)',
  'error NoAnchor(bytes32 meterId,uint32 day)',
  'error BadInterval(uint64 intervalStart)',
  'error InvalidProof(uint32 day)',
  'error MeterNotInRegion(bytes32 meterId,bytes32 regionId)',
  'error NoRegionAnchor(bytes32 regionId,uint32 day)',
  'error InvalidRegionPath(bytes32 regionId,uint32 day)',
  'error IncompleteWindow(uint256 proven,uint256 expected)',
  'error NothingToReclaim()',
  'error ReclaimTooEarly(uint64 availableAt)',
  'error SelfTrade()',
  'error FillTooSmall(uint64 minFillWh,uint64 requestedWh)',
  'error InvalidMinFill(uint64 minFillWh,uint64 energyWh)',
  'error WindowTooFar(uint64 deliveryStart,uint64 latest)',
  'error TokenTransferMismatch(uint256 expected,uint256 received)',
  'error ReentrancyGuardReentrantCall()',
  // OpenZeppelin MerkleProof: a multiproof whose leaf and proof counts do not fit together.
  'error MerkleProofInvalidMultiproof()',
  // EnergyLedger reads behind a seller's record (ledger issue owns these).
  'function meterOwner(bytes32 meterId) view returns (address)',
  'function operatorAnchor(bytes32 meterId, uint32 day) view returns ((bytes32 root,uint64 importWh,uint64 exportWh,uint64 anchoredAt))',
  'event DayAnchored(bytes32 indexed meterId,uint32 indexed day,bytes32 root,uint64 importWh,uint64 exportWh)',
  'event RegionDayAnchored(bytes32 indexed regionId,uint32 indexed day,bytes32 root,uint64 meters,uint64 importWh,uint64 exportWh)',
  'function meterRegion(bytes32 meterId) view returns (bytes32)',
  'function regionAnchor(bytes32 regionId, uint32 day) view returns ((bytes32 root,uint64 importWh,uint64 exportWh,uint64 anchoredAt,uint64 meters))',
] as const;
