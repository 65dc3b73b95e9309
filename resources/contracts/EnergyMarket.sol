// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * Peer-to-peer sales of metered solar export (issue 8; see shared/design/LEDGER.md, "Settlement of a
 * sale"). A seller signs an Offer off-chain (EIP-712, domain "Wattlet EnergyLedger" / "1", bound to
 * this chain and this contract so a signature cannot be replayed elsewhere); anyone may publish it.
 * Buyers fill it into escrow. After the delivery window the seller proves export with the operator's
 * anchors (two levels in a region: the intervals as a multiproof under the meter-day root, that root
 * by a Merkle path under the region-day root) and is paid pro rata; buyers reclaim the rest.
 *
 * Integer rules (exact, no floating point anywhere):
 *  - cost of a fill      = ceil(energyWh * pricePerKWh / 1000)   (a buyer never pays below the price)
 *  - delivered           = min(provenWh, soldWh)                 (soldWh = all fills of the offer)
 *  - seller's share of a fill that paid p  = floor(p * delivered / soldWh)
 *  - that buyer's refund                    = p - floor(p * delivered / soldWh)
 *  - seller is paid the sum of the shares; every wei of escrow goes to exactly one party.
 *    With a single buyer the seller's pay is floor(escrow * delivered / soldWh).
 *
 * Against griefing (issue 18), each with a contract test:
 *  - the seller sets a minimum fill (signed with the offer); publishOffer refuses one that would let
 *    more than MAX_BUYERS buyers in (ceil(energyWh / minFillWh) <= MAX_BUYERS), and a fill below it is
 *    refused unless it takes all that is left: a stranger cannot exhaust the buyer list with dust;
 *  - a delivery window starts at most MAX_LEAD_SECONDS after publication (and its expiry is before
 *    its end), so a buyer's escrow is locked at most MAX_LEAD_SECONDS + MAX_WINDOW_SECONDS +
 *    SETTLEMENT_GRACE;
 *  - token escrow is counted by the balance the market gained: a token that delivers anything but
 *    the price (fee on transfer) is refused (TokenTransferMismatch), so escrow is never credited
 *    with money that did not arrive;
 *  - sellers may be contracts: their signature is checked by ERC-1271 (SignatureChecker), and they
 *    publish, cancel and settle as any seller does;
 *  - fill, settle and reclaim are nonReentrant: a hostile token calling back is refused;
 *  - nobody buys their own offer (SelfTrade).
 *
 * The concrete ledger supplies the operator's anchored roots, meter ownership and regions through
 * the hooks below (EnergyLedger implements them over its registry and anchors).
 */
abstract contract EnergyMarket is EIP712, ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct Offer {
        address seller;
        bytes32 meterId;
        uint64 energyWh;
        uint64 minFillWh; // the smallest purchase, unless it takes all that is left
        uint256 pricePerKWh; // wei (token == 0) or the token's smallest unit, per 1000 Wh
        address token; // zero = native currency
        uint64 deliveryStart; // unix seconds, multiple of 900
        uint64 deliveryEnd; // unix seconds, multiple of 900, exclusive
        uint64 expiry; // fills are accepted while block.timestamp < expiry
        uint256 nonce;
    }

    /// One leaf of the operator's day tree, minus the meter id (the offer's meter id is used).
    struct IntervalLeaf {
        uint64 intervalStart;
        uint32 seconds_;
        uint64 importWh;
        uint64 exportWh;
        bytes32 salt;
    }

    /**
     * The meter-day's place in its region's tree: the leaf (meterId, day, meterDayRoot, importWh,
     * exportWh, salt), meter id and day taken from the offer and the DayProof, and its Merkle path
     * to the region-day root. regionId zero: the meter's day is anchored per meter (small
     * operators), and the other fields are ignored.
     */
    struct RegionPath {
        bytes32 regionId;
        bytes32 meterDayRoot;
        uint64 importWh;
        uint64 exportWh;
        bytes32 salt;
        bytes32[] path;
    }

    /// The window's intervals that fall on one UTC day, in multiproof order, with the proof
    /// under the meter-day root, and that root's path under the region-day root.
    struct DayProof {
        uint32 day;
        IntervalLeaf[] leaves;
        bytes32[] proof;
        bool[] proofFlags;
        RegionPath region;
    }

    struct OfferRecord {
        address seller;
        uint64 energyWh;
        address token;
        uint64 filledWh;
        uint64 deliveryStart;
        uint64 deliveryEnd;
        uint64 expiry;
        uint64 provenWh;
        bytes32 meterId;
        uint256 pricePerKWh;
        uint256 escrow; // everything paid in by buyers
        uint256 sellerPaid;
        bool cancelled;
        bool settled;
        uint64 minFillWh;
    }

    struct Fill {
        uint64 energyWh;
        uint256 paid;
        bool reclaimed;
    }

    bytes32 public constant OFFER_TYPEHASH = keccak256(
        "Offer(address seller,bytes32 meterId,uint64 energyWh,uint64 minFillWh,uint256 pricePerKWh,address token,uint64 deliveryStart,uint64 deliveryEnd,uint64 expiry,uint256 nonce)"
    );
    uint64 public constant INTERVAL_SECONDS = 900;
    /// A week of 15-minute intervals: bounds the proof a settlement must carry.
    uint64 public constant MAX_WINDOW_SECONDS = 7 days;
    /// Time after the window for the operator to anchor and the seller to settle; then buyers reclaim.
    uint64 public constant SETTLEMENT_GRACE = 3 days;
    /// Settlement walks the buyers to split escrow exactly; the cap keeps that walk within a block.
    /// The seller's minimum fill is set so that it can never be reached by anything but purchases.
    uint256 public constant MAX_BUYERS = 32;
    /// How far ahead of its publication a delivery window may start: bounds how long escrow waits.
    uint64 public constant MAX_LEAD_SECONDS = 30 days;

    mapping(bytes32 offerHash => OfferRecord) private _offers;
    mapping(bytes32 offerHash => address[]) private _buyers;
    mapping(bytes32 offerHash => mapping(address buyer => Fill)) private _fills;
    /// Seller-cancelled offer hashes, including never-published ones (a leaked signature is dead).
    mapping(bytes32 offerHash => bool) public cancelledOffer;
    /// Export of an interval already used to settle a sale: it cannot back another.
    mapping(bytes32 meterId => mapping(uint64 intervalStart => uint64 wh)) public usedExportWh;

    event OfferPublished(
        bytes32 indexed offerHash,
        address indexed seller,
        bytes32 indexed meterId,
        uint64 energyWh,
        uint64 minFillWh,
        uint256 pricePerKWh,
        address token,
        uint64 deliveryStart,
        uint64 deliveryEnd,
        uint64 expiry,
        uint256 nonce
    );
    event OfferFilled(bytes32 indexed offerHash, address indexed buyer, uint64 energyWh, uint256 paid);
    event OfferCancelled(bytes32 indexed offerHash, uint64 unfilledWh);
    event OfferSettled(bytes32 indexed offerHash, uint64 provenWh, uint64 deliveredWh, uint256 sellerPaid);
    event EscrowReclaimed(bytes32 indexed offerHash, address indexed buyer, uint256 amount);

    error InvalidSignature();
    error NotMeterOwner(bytes32 meterId, address seller);
    error InvalidWindow();
    error OfferExpired(bytes32 offerHash);
    error OfferCancelledError(bytes32 offerHash);
    error AlreadyPublished(bytes32 offerHash);
    error UnknownOffer(bytes32 offerHash);
    error ZeroAmount();
    error OverFill(bytes32 offerHash, uint64 requestedWh, uint64 availableWh);
    error WrongPayment(uint256 expected, uint256 sent);
    error TooManyBuyers();
    error NotSeller();
    error AlreadySettled(bytes32 offerHash);
    error NothingSold(bytes32 offerHash);
    error SettlementTooEarly(uint64 deliveryEnd);
    error SettlementClosed(uint64 deadline);
    error NoAnchor(bytes32 meterId, uint32 day);
    error BadInterval(uint64 intervalStart);
    error InvalidProof(uint32 day);
    /// The proof names a region the seller's meter is not registered in.
    error MeterNotInRegion(bytes32 meterId, bytes32 regionId);
    error NoRegionAnchor(bytes32 regionId, uint32 day);
    /// The meter-day leaf is not under the region-day root (another day's path, another meter's, a forgery).
    error InvalidRegionPath(bytes32 regionId, uint32 day);
    error IncompleteWindow(uint256 proven, uint256 expected);
    error NothingToReclaim();
    error ReclaimTooEarly(uint64 availableAt);
    /// The buyer is the offer's seller.
    error SelfTrade();
    /// A fill below the seller's minimum that does not take all that is left.
    error FillTooSmall(uint64 minFillWh, uint64 requestedWh);
    /// A minimum fill of zero, above the energy, or letting more than MAX_BUYERS buyers in.
    error InvalidMinFill(uint64 minFillWh, uint64 energyWh);
    /// The delivery window starts more than MAX_LEAD_SECONDS after now.
    error WindowTooFar(uint64 deliveryStart, uint64 latest);
    /// The token moved another amount than the price (a fee on transfer): refused, never credited.
    error TokenTransferMismatch(uint256 expected, uint256 received);

    constructor() EIP712("Wattlet EnergyLedger", "1") {}

    /// The operator's anchored root of `meterId`'s intervals on UTC day `day`; zero if none.
    function _operatorRoot(bytes32 meterId, uint32 day) internal view virtual returns (bytes32);

    /// The registered owner of a meter; zero if unregistered.
    function _meterOwner(bytes32 meterId) internal view virtual returns (address);

    /// The operator's anchored root over region `regionId`'s meter-days on UTC day `day`; zero if none.
    function _regionRoot(bytes32 regionId, uint32 day) internal view virtual returns (bytes32);

    /// The region a meter is registered in; zero if its days are anchored per meter.
    function _meterRegion(bytes32 meterId) internal view virtual returns (bytes32);

    // ----- views -----

    function hashOffer(Offer calldata offer) public view returns (bytes32) {
        return _hashTypedDataV4(_structHash(offer));
    }

    function offerRecord(bytes32 offerHash) external view returns (OfferRecord memory) {
        return _offers[offerHash];
    }

    function buyersOf(bytes32 offerHash) external view returns (address[] memory) {
        return _buyers[offerHash];
    }

    function fillOf(bytes32 offerHash, address buyer) external view returns (Fill memory) {
        return _fills[offerHash][buyer];
    }

    function costOf(uint64 energyWh, uint256 pricePerKWh) public pure returns (uint256) {
        return Math.mulDiv(energyWh, pricePerKWh, 1000, Math.Rounding.Ceil);
    }

    // ----- offers -----

    /// Publishes a seller-signed offer; anyone may relay it. Returns its EIP-712 digest (the offer id).
    function publishOffer(Offer calldata offer, bytes calldata signature) external returns (bytes32 offerHash) {
        offerHash = hashOffer(offer);
        if (_offers[offerHash].seller != address(0)) revert AlreadyPublished(offerHash);
        if (cancelledOffer[offerHash]) revert OfferCancelledError(offerHash);
        if (!SignatureChecker.isValidSignatureNow(offer.seller, offerHash, signature)) revert InvalidSignature();
        if (_meterOwner(offer.meterId) != offer.seller || offer.seller == address(0)) {
            revert NotMeterOwner(offer.meterId, offer.seller);
        }
        if (offer.energyWh == 0 || offer.pricePerKWh == 0) revert ZeroAmount();
        if (
            offer.minFillWh == 0 || offer.minFillWh > offer.energyWh
                || Math.ceilDiv(offer.energyWh, offer.minFillWh) > MAX_BUYERS
        ) revert InvalidMinFill(offer.minFillWh, offer.energyWh);
        if (
            offer.deliveryStart % INTERVAL_SECONDS != 0 || offer.deliveryEnd % INTERVAL_SECONDS != 0
                || offer.deliveryEnd <= offer.deliveryStart || offer.deliveryEnd - offer.deliveryStart > MAX_WINDOW_SECONDS
                || offer.expiry > offer.deliveryEnd
        ) revert InvalidWindow();
        if (block.timestamp >= offer.expiry) revert OfferExpired(offerHash);
        if (offer.deliveryStart > block.timestamp + MAX_LEAD_SECONDS) {
            revert WindowTooFar(offer.deliveryStart, uint64(block.timestamp + MAX_LEAD_SECONDS));
        }

        _offers[offerHash] = OfferRecord({
            seller: offer.seller,
            energyWh: offer.energyWh,
            token: offer.token,
            filledWh: 0,
            deliveryStart: offer.deliveryStart,
            deliveryEnd: offer.deliveryEnd,
            expiry: offer.expiry,
            provenWh: 0,
            meterId: offer.meterId,
            pricePerKWh: offer.pricePerKWh,
            escrow: 0,
            sellerPaid: 0,
            cancelled: false,
            settled: false,
            minFillWh: offer.minFillWh
        });
        emit OfferPublished(
            offerHash,
            offer.seller,
            offer.meterId,
            offer.energyWh,
            offer.minFillWh,
            offer.pricePerKWh,
            offer.token,
            offer.deliveryStart,
            offer.deliveryEnd,
            offer.expiry,
            offer.nonce
        );
    }

    /**
     * Buys `energyWh` of an open offer, paying ceil(energyWh * price / 1000) into escrow: at least
     * the seller's minimum, or all that is left. Never the buyer's own offer.
     */
    function fill(bytes32 offerHash, uint64 energyWh) external payable nonReentrant {
        OfferRecord storage o = _offers[offerHash];
        if (o.seller == address(0)) revert UnknownOffer(offerHash);
        if (o.cancelled) revert OfferCancelledError(offerHash);
        if (block.timestamp >= o.expiry) revert OfferExpired(offerHash);
        if (msg.sender == o.seller) revert SelfTrade();
        if (energyWh == 0) revert ZeroAmount();
        uint64 available = o.energyWh - o.filledWh;
        if (energyWh > available) revert OverFill(offerHash, energyWh, available);
        if (energyWh < o.minFillWh && energyWh != available) revert FillTooSmall(o.minFillWh, energyWh);

        uint256 cost = costOf(energyWh, o.pricePerKWh);
        Fill storage f = _fills[offerHash][msg.sender];
        if (f.energyWh == 0) {
            if (_buyers[offerHash].length >= MAX_BUYERS) revert TooManyBuyers();
            _buyers[offerHash].push(msg.sender);
        }
        f.energyWh += energyWh;
        f.paid += cost;
        o.filledWh += energyWh;
        o.escrow += cost;

        if (o.token == address(0)) {
            // Exact payment only: an excess would sit in the contract with no owner on record.
            if (msg.value != cost) revert WrongPayment(cost, msg.value);
        } else {
            if (msg.value != 0) revert WrongPayment(0, msg.value);
            // Escrow is what arrived: a token that takes a fee (or otherwise moves another amount)
            // would leave the escrow short of what it promises seller and buyer, so it is refused.
            uint256 before = IERC20(o.token).balanceOf(address(this));
            IERC20(o.token).safeTransferFrom(msg.sender, address(this), cost);
            uint256 received = IERC20(o.token).balanceOf(address(this)) - before;
            if (received != cost) revert TokenTransferMismatch(cost, received);
        }
        emit OfferFilled(offerHash, msg.sender, energyWh, cost);
    }

    /// Withdraws what is unfilled of a published offer; what was filled still settles as usual.
    function cancel(bytes32 offerHash) external {
        OfferRecord storage o = _offers[offerHash];
        if (o.seller == address(0)) revert UnknownOffer(offerHash);
        if (msg.sender != o.seller) revert NotSeller();
        if (o.cancelled) revert OfferCancelledError(offerHash);
        o.cancelled = true;
        cancelledOffer[offerHash] = true;
        emit OfferCancelled(offerHash, o.energyWh - o.filledWh);
    }

    /// Kills a signed offer that was never published, so a leaked signature cannot be used. Takes the
    /// whole offer rather than a hash so that nobody but its seller can cancel it (no front-running).
    function cancelUnpublished(Offer calldata offer) external {
        if (msg.sender != offer.seller) revert NotSeller();
        bytes32 offerHash = hashOffer(offer);
        if (_offers[offerHash].seller != address(0)) revert AlreadyPublished(offerHash);
        cancelledOffer[offerHash] = true;
        emit OfferCancelled(offerHash, offer.energyWh);
    }

    // ----- settlement -----

    /**
     * Proves the window's export with one multiproof per UTC day against the operator's roots. Every
     * 15-minute interval of the window must be present exactly once. Export is taken interval by
     * interval (in the order given) up to what was sold, and recorded as used.
     */
    function settle(bytes32 offerHash, DayProof[] calldata days_) external nonReentrant {
        OfferRecord storage o = _offers[offerHash];
        if (o.seller == address(0)) revert UnknownOffer(offerHash);
        if (msg.sender != o.seller) revert NotSeller();
        if (o.settled) revert AlreadySettled(offerHash);
        if (o.filledWh == 0) revert NothingSold(offerHash);
        if (block.timestamp < o.deliveryEnd) revert SettlementTooEarly(o.deliveryEnd);
        uint64 deadline = o.deliveryEnd + SETTLEMENT_GRACE;
        if (block.timestamp >= deadline) revert SettlementClosed(deadline);

        uint64 proven = _proveExport(o, days_);
        uint64 delivered = proven < o.filledWh ? proven : o.filledWh;

        uint256 pay;
        address[] storage buyers = _buyers[offerHash];
        for (uint256 i = 0; i < buyers.length; i++) {
            pay += Math.mulDiv(_fills[offerHash][buyers[i]].paid, delivered, o.filledWh);
        }
        o.settled = true;
        o.provenWh = proven;
        o.sellerPaid = pay;
        emit OfferSettled(offerHash, proven, delivered, pay);
        _send(o.token, o.seller, pay);
    }

    /// Running state of one settlement's walk over the window (a struct keeps the stack shallow).
    struct Walk {
        bytes32 meterId;
        uint64 start;
        uint64 end;
        uint64 need;
        uint64 proven;
        uint256 covered;
        uint256[] seen; // bitmap of the window's interval indexes already submitted
    }

    function _proveExport(OfferRecord storage o, DayProof[] calldata days_) private returns (uint64) {
        uint256 count = (o.deliveryEnd - o.deliveryStart) / INTERVAL_SECONDS;
        Walk memory w = Walk({
            meterId: o.meterId,
            start: o.deliveryStart,
            end: o.deliveryEnd,
            need: o.filledWh,
            proven: 0,
            covered: 0,
            seen: new uint256[]((count + 255) / 256)
        });
        for (uint256 d = 0; d < days_.length; d++) {
            _proveDay(w, days_[d]);
        }
        if (w.covered != count) revert IncompleteWindow(w.covered, count);
        return w.proven;
    }

    function _proveDay(Walk memory w, DayProof calldata dp) private {
        bytes32 root = _meterDayRoot(w.meterId, dp.day, dp.region);
        // An empty leaf set "verifies" against proof[0]; refuse it (MerkleProof NOTE).
        if (dp.leaves.length == 0) revert InvalidProof(dp.day);
        bytes32[] memory hashes = new bytes32[](dp.leaves.length);
        for (uint256 i = 0; i < dp.leaves.length; i++) {
            hashes[i] = _takeLeaf(w, dp.leaves[i], dp.day);
        }
        if (!MerkleProof.multiProofVerifyCalldata(dp.proof, dp.proofFlags, root, hashes)) {
            revert InvalidProof(dp.day);
        }
    }

    /**
     * The meter-day root the intervals are proven under. In a region: the meter must be registered
     * there, and its meter-day leaf (meter id and day from the offer and the proof, so a path for
     * another meter or day cannot match) must be under the region-day root. Per meter: the root
     * anchored for the meter and day.
     */
    function _meterDayRoot(bytes32 meterId, uint32 day, RegionPath calldata r) private view returns (bytes32) {
        if (r.regionId == bytes32(0)) {
            bytes32 own = _operatorRoot(meterId, day);
            if (own == bytes32(0)) revert NoAnchor(meterId, day);
            return own;
        }
        if (_meterRegion(meterId) != r.regionId) revert MeterNotInRegion(meterId, r.regionId);
        bytes32 regionRoot = _regionRoot(r.regionId, day);
        if (regionRoot == bytes32(0)) revert NoRegionAnchor(r.regionId, day);
        bytes32 leaf = keccak256(
            bytes.concat(keccak256(abi.encode(meterId, day, r.meterDayRoot, r.importWh, r.exportWh, r.salt)))
        );
        if (!MerkleProof.verifyCalldata(r.path, regionRoot, leaf)) revert InvalidRegionPath(r.regionId, day);
        return r.meterDayRoot;
    }

    /// Checks one interval belongs to the window and this day, once; takes its unused export.
    function _takeLeaf(Walk memory w, IntervalLeaf calldata l, uint32 day) private returns (bytes32) {
        if (
            l.seconds_ != INTERVAL_SECONDS || l.intervalStart < w.start || l.intervalStart >= w.end
                || l.intervalStart % INTERVAL_SECONDS != 0 || l.intervalStart / 1 days != day
        ) revert BadInterval(l.intervalStart);
        uint256 k = (l.intervalStart - w.start) / INTERVAL_SECONDS;
        uint256 bit = 1 << (k % 256);
        if (w.seen[k / 256] & bit != 0) revert BadInterval(l.intervalStart);
        w.seen[k / 256] |= bit;
        w.covered++;

        uint64 used = usedExportWh[w.meterId][l.intervalStart];
        uint64 free = l.exportWh > used ? l.exportWh - used : 0;
        uint64 take = free < w.need ? free : w.need;
        if (take > 0) {
            usedExportWh[w.meterId][l.intervalStart] = used + take;
            w.need -= take;
            w.proven += take;
        }
        return _leafHash(w.meterId, l);
    }

    /// OpenZeppelin StandardMerkleTree leaf: keccak256(bytes.concat(keccak256(abi.encode(values)))).
    function _leafHash(bytes32 meterId, IntervalLeaf calldata l) private pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(abi.encode(meterId, l.intervalStart, l.seconds_, l.importWh, l.exportWh, l.salt))
            )
        );
    }

    /**
     * A buyer takes back what the seller did not earn: after settlement, p - floor(p * delivered /
     * sold); if no settlement came within SETTLEMENT_GRACE after the window, everything paid.
     */
    function reclaim(bytes32 offerHash) external nonReentrant returns (uint256 amount) {
        OfferRecord storage o = _offers[offerHash];
        Fill storage f = _fills[offerHash][msg.sender];
        if (f.paid == 0 || f.reclaimed) revert NothingToReclaim();
        if (o.settled) {
            uint64 delivered = o.provenWh < o.filledWh ? o.provenWh : o.filledWh;
            amount = f.paid - Math.mulDiv(f.paid, delivered, o.filledWh);
        } else {
            uint64 availableAt = o.deliveryEnd + SETTLEMENT_GRACE;
            if (block.timestamp < availableAt) revert ReclaimTooEarly(availableAt);
            amount = f.paid;
        }
        if (amount == 0) revert NothingToReclaim();
        f.reclaimed = true;
        emit EscrowReclaimed(offerHash, msg.sender, amount);
        _send(o.token, msg.sender, amount);
    }

    function _send(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (token == address(0)) Address.sendValue(payable(to), amount);
        else IERC20(token).safeTransfer(to, amount);
    }

    function _structHash(Offer calldata offer) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                OFFER_TYPEHASH,
                offer.seller,
                offer.meterId,
                offer.energyWh,
                offer.minFillWh,
                offer.pricePerKWh,
                offer.token,
                offer.deliveryStart,
                offer.deliveryEnd,
                offer.expiry,
                offer.nonce
            )
        );
    }
}
