// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EnergyMarket} from "./EnergyMarket.sol";

/**
 * @title EnergyLedger
 * @notice The shared record of a household's electricity: which wallet owns a meter (and the
 * region it is anchored in), the grid operator's official anchors, and the household's own
 * attestation anchors (a dispute record).
 *
 * Two ways for the operator to anchor a closed day, behind the same verifier and settlement:
 *  - per region (the national design, LEDGER.md "At national scale"): one root per (region, day)
 *    over the day roots of every meter registered in the region, with the meter count and totals.
 *    One storage write carries a whole region, so the cost per meter-day is a fraction of a gas.
 *  - per meter (small operators): one root per (meter, day), as before. A meter registered in a
 *    region is anchored through its region only (no second official root for the same day).
 *
 * Leaves (off chain, OpenZeppelin merkle-tree StandardMerkleTree, double-hashed, sorted pairs):
 *   interval:  (bytes32 meterId, uint64 intervalStart, uint32 seconds, uint64 importWh, uint64 exportWh, bytes32 salt)
 *              under the meter-day root (96 leaves a day)
 *   meter-day: (bytes32 meterId, uint32 day, bytes32 meterDayRoot, uint64 importWh, uint64 exportWh, bytes32 salt)
 *              under the region-day root (one leaf per meter of the region)
 * The salts keep low-entropy readings from being brute-forced out of a public root, and a
 * household handed its region path from learning anything of its neighbours but sibling hashes.
 *
 * STORAGE LAYOUT — read by the household's verifier through EIP-1186 storage proofs, so it is a
 * public interface and must never change. All ledger state lives in one ERC-7201 namespace, so
 * the slots do not move whatever AccessControl or EnergyMarket keep in their own storage:
 *
 *   BASE = keccak256(abi.encode(uint256(keccak256("wattlet.storage.EnergyLedger")) - 1)) & ~0xff
 *        = 0xf9e5c068f735f07599e151c54eab50f02f8a5616055be86b602b41b564c63100
 *   BASE + 0  owners:        mapping(bytes32 meterId => address owner)
 *   BASE + 1  operatorDays:  mapping(bytes32 meterId => mapping(uint32 day => DayAnchor))
 *   BASE + 2  attestedDays:  mapping(bytes32 meterId => mapping(uint32 day => DayAnchor))
 *   BASE + 3  regionDays:    mapping(bytes32 regionId => mapping(uint32 day => RegionAnchor))
 *   BASE + 4  meterRegions:  mapping(bytes32 meterId => bytes32 regionId)
 *
 *   owners[m]        at keccak256(abi.encode(m, BASE + 0))
 *   operatorDays[m][d] at S = keccak256(abi.encode(uint256(d), keccak256(abi.encode(m, BASE + 1))))
 *     S + 0  root      (bytes32)
 *     S + 1  importWh (bytes 0..7, lowest-order) | exportWh (bytes 8..15) | anchoredAt (bytes 16..23)
 *   attestedDays: the same with BASE + 2.
 *   regionDays[r][d] at S = keccak256(abi.encode(uint256(d), keccak256(abi.encode(r, BASE + 3))))
 *     S + 0  root      (bytes32, the region-day root)
 *     S + 1  importWh (bytes 0..7, lowest-order) | exportWh (bytes 8..15) | anchoredAt (bytes 16..23)
 *            | meters (bytes 24..31)   — a DayAnchor's fields where a DayAnchor has them
 *   meterRegions[m]  at keccak256(abi.encode(m, BASE + 4))   (zero: the meter is anchored per meter)
 *
 * `day` is the UTC day number: unix seconds / 86400.
 */
contract EnergyLedger is AccessControl, EnergyMarket {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// ERC-7201 namespace base slot; see the layout above.
    bytes32 public constant STORAGE_BASE = 0xf9e5c068f735f07599e151c54eab50f02f8a5616055be86b602b41b564c63100;

    struct DayAnchor {
        bytes32 root;
        uint64 importWh;
        uint64 exportWh;
        uint64 anchoredAt; // block timestamp of the anchoring transaction; zero means "none"
    }

    /// One region's day: the root over its meters' day roots, their summed totals and how many.
    struct RegionAnchor {
        bytes32 root;
        uint64 importWh;
        uint64 exportWh;
        uint64 anchoredAt; // block timestamp of the anchoring transaction; zero means "none"
        uint64 meters;
    }

    /// @custom:storage-location erc7201:wattlet.storage.EnergyLedger
    struct LedgerStorage {
        mapping(bytes32 meterId => address owner) owners;
        mapping(bytes32 meterId => mapping(uint32 day => DayAnchor)) operatorDays;
        mapping(bytes32 meterId => mapping(uint32 day => DayAnchor)) attestedDays;
        mapping(bytes32 regionId => mapping(uint32 day => RegionAnchor)) regionDays;
        mapping(bytes32 meterId => bytes32 regionId) meterRegions;
    }

    event MeterRegistered(bytes32 indexed meterId, address indexed owner);
    /// A meter's region: the household finds its region's anchors by `regionId` (RegionDayAnchored).
    event MeterRegionSet(bytes32 indexed meterId, bytes32 indexed regionId);
    event RegionDayAnchored(
        bytes32 indexed regionId, uint32 indexed day, bytes32 root, uint64 meters, uint64 importWh, uint64 exportWh
    );
    event DayAnchored(bytes32 indexed meterId, uint32 indexed day, bytes32 root, uint64 importWh, uint64 exportWh);
    event DayAttested(
        bytes32 indexed meterId,
        uint32 indexed day,
        address indexed owner,
        bytes32 root,
        uint64 importWh,
        uint64 exportWh
    );

    error MeterUnknown(bytes32 meterId);
    error ZeroAddress();
    error ZeroRoot();
    error CallerNotMeterOwner(bytes32 meterId, address caller);
    error AlreadyAnchored(bytes32 meterId, uint32 day);
    error AlreadyAttested(bytes32 meterId, uint32 day);
    error DayInFuture(uint32 day);
    error LengthMismatch();
    error ZeroRegion();
    error EmptyRegion(bytes32 regionId, uint32 day);
    /// The same region-day root again (a retry): nothing to do.
    error RegionAlreadyAnchored(bytes32 regionId, uint32 day);
    /// A different root for a region-day already anchored: an anchor is final, a correction is a dispute.
    error RegionAnchorFinal(bytes32 regionId, uint32 day, bytes32 anchoredRoot);
    /// A meter registered in a region is anchored through its region, never per meter too.
    error MeterAnchoredByRegion(bytes32 meterId, bytes32 regionId);

    constructor(address admin, address operator) {
        if (admin == address(0) || operator == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, operator);
    }

    // ---- meters ----

    /// Registers a meter or moves it to a new owner (a house sold). Only the operator knows
    /// which household a meter serves.
    function registerMeter(bytes32 meterId, address owner) external onlyRole(OPERATOR_ROLE) {
        if (owner == address(0)) revert ZeroAddress();
        _store().owners[meterId] = owner;
        emit MeterRegistered(meterId, owner);
    }

    /// Registers a meter (or moves it to a new owner) in a region: from then on its official days
    /// are anchored through the region's root. Also moves a meter between regions (a re-zoning);
    /// its past days stay under the region that anchored them.
    function registerMeterInRegion(bytes32 meterId, address owner, bytes32 regionId) public onlyRole(OPERATOR_ROLE) {
        if (owner == address(0)) revert ZeroAddress();
        if (regionId == bytes32(0)) revert ZeroRegion();
        LedgerStorage storage $ = _store();
        $.owners[meterId] = owner;
        $.meterRegions[meterId] = regionId;
        emit MeterRegistered(meterId, owner);
        emit MeterRegionSet(meterId, regionId);
    }

    /// Many meters of one region in one transaction (a region's roll-out).
    function registerMetersInRegion(bytes32[] calldata meterIds, address[] calldata owners_, bytes32 regionId)
        external
        onlyRole(OPERATOR_ROLE)
    {
        if (owners_.length != meterIds.length) revert LengthMismatch();
        for (uint256 i = 0; i < meterIds.length; i++) {
            registerMeterInRegion(meterIds[i], owners_[i], regionId);
        }
    }

    function meterOwner(bytes32 meterId) external view returns (address) {
        return _store().owners[meterId];
    }

    /// The region a meter is anchored in; zero if it is anchored per meter.
    function meterRegion(bytes32 meterId) external view returns (bytes32) {
        return _store().meterRegions[meterId];
    }

    // ---- the operator's region anchors ----

    /**
     * Anchors a closed day of a whole region once: the root of the tree over its meters' day roots
     * (meter-day leaves above), the meter count and the summed totals. No overwrite and no retry:
     * the same root again is refused as a retry, a different one as a replacement.
     */
    function anchorRegionDay(bytes32 regionId, uint32 day, bytes32 root, uint64 meters, uint64 importWh, uint64 exportWh)
        public
        onlyRole(OPERATOR_ROLE)
    {
        if (regionId == bytes32(0)) revert ZeroRegion();
        if (root == bytes32(0)) revert ZeroRoot();
        if (meters == 0) revert EmptyRegion(regionId, day);
        if ((uint256(day) + 1) * 86400 > block.timestamp) revert DayInFuture(day);
        RegionAnchor storage a = _store().regionDays[regionId][day];
        if (a.anchoredAt != 0) {
            if (a.root == root) revert RegionAlreadyAnchored(regionId, day);
            revert RegionAnchorFinal(regionId, day, a.root);
        }
        a.root = root;
        a.importWh = importWh;
        a.exportWh = exportWh;
        a.anchoredAt = uint64(block.timestamp);
        a.meters = meters;
        emit RegionDayAnchored(regionId, day, root, meters, importWh, exportWh);
    }

    /// Many days of one region in one transaction (a backlog after an outage, the demo's first days).
    function anchorRegionDays(
        bytes32 regionId,
        uint32[] calldata dayList,
        bytes32[] calldata roots,
        uint64[] calldata meters,
        uint64[] calldata importWh,
        uint64[] calldata exportWh
    ) external onlyRole(OPERATOR_ROLE) {
        uint256 n = dayList.length;
        if (roots.length != n || meters.length != n || importWh.length != n || exportWh.length != n) revert LengthMismatch();
        for (uint256 i = 0; i < n; i++) {
            anchorRegionDay(regionId, dayList[i], roots[i], meters[i], importWh[i], exportWh[i]);
        }
    }

    function regionAnchor(bytes32 regionId, uint32 day) external view returns (RegionAnchor memory) {
        return _store().regionDays[regionId][day];
    }

    // ---- the operator's official anchors ----

    /// Anchors a closed day once. No overwrite: a correction is a dispute, never a quiet rewrite.
    function anchorDay(bytes32 meterId, uint32 day, bytes32 root, uint64 importWh, uint64 exportWh)
        public
        onlyRole(OPERATOR_ROLE)
    {
        LedgerStorage storage $ = _store();
        if ($.owners[meterId] == address(0)) revert MeterUnknown(meterId);
        bytes32 regionId = $.meterRegions[meterId];
        if (regionId != bytes32(0)) revert MeterAnchoredByRegion(meterId, regionId);
        if (root == bytes32(0)) revert ZeroRoot();
        // A day can be anchored only once it has closed: its last second lies in the past.
        if ((uint256(day) + 1) * 86400 > block.timestamp) revert DayInFuture(day);
        DayAnchor storage a = $.operatorDays[meterId][day];
        if (a.anchoredAt != 0) revert AlreadyAnchored(meterId, day);
        a.root = root;
        a.importWh = importWh;
        a.exportWh = exportWh;
        a.anchoredAt = uint64(block.timestamp);
        emit DayAnchored(meterId, day, root, importWh, exportWh);
    }

    /// Many days in one transaction (a backlog after an outage, the demo's first year).
    function anchorDays(
        bytes32 meterId,
        uint32[] calldata dayList,
        bytes32[] calldata roots,
        uint64[] calldata importWh,
        uint64[] calldata exportWh
    ) external onlyRole(OPERATOR_ROLE) {
        uint256 n = dayList.length;
        if (roots.length != n || importWh.length != n || exportWh.length != n) revert LengthMismatch();
        for (uint256 i = 0; i < n; i++) {
            anchorDay(meterId, dayList[i], roots[i], importWh[i], exportWh[i]);
        }
    }

    function operatorAnchor(bytes32 meterId, uint32 day) external view returns (DayAnchor memory) {
        return _store().operatorDays[meterId][day];
    }

    // ---- the household's attestations ----

    /// The meter's owner anchors the root of its own record of the day, so a dispute has an
    /// on-chain record made by the household's wallet (msg.sender is the signature).
    function attestDay(bytes32 meterId, uint32 day, bytes32 root, uint64 importWh, uint64 exportWh) external {
        LedgerStorage storage $ = _store();
        address owner = $.owners[meterId];
        if (owner == address(0)) revert MeterUnknown(meterId);
        if (owner != msg.sender) revert CallerNotMeterOwner(meterId, msg.sender);
        if (root == bytes32(0)) revert ZeroRoot();
        if ((uint256(day) + 1) * 86400 > block.timestamp) revert DayInFuture(day);
        DayAnchor storage a = $.attestedDays[meterId][day];
        if (a.anchoredAt != 0) revert AlreadyAttested(meterId, day);
        a.root = root;
        a.importWh = importWh;
        a.exportWh = exportWh;
        a.anchoredAt = uint64(block.timestamp);
        emit DayAttested(meterId, day, msg.sender, root, importWh, exportWh);
    }

    function attestation(bytes32 meterId, uint32 day) external view returns (DayAnchor memory) {
        return _store().attestedDays[meterId][day];
    }

    // ---- EnergyMarket hooks ----

    function _operatorRoot(bytes32 meterId, uint32 day) internal view virtual override returns (bytes32) {
        return _store().operatorDays[meterId][day].root;
    }

    function _meterOwner(bytes32 meterId) internal view virtual override returns (address) {
        return _store().owners[meterId];
    }

    function _regionRoot(bytes32 regionId, uint32 day) internal view virtual override returns (bytes32) {
        return _store().regionDays[regionId][day].root;
    }

    function _meterRegion(bytes32 meterId) internal view virtual override returns (bytes32) {
        return _store().meterRegions[meterId];
    }

    function _store() private pure returns (LedgerStorage storage $) {
        bytes32 slot = STORAGE_BASE;
        assembly {
            $.slot := slot
        }
    }
}
