// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EnergyMarket} from "./EnergyMarket.sol";

/**
 * @title EnergyLedger
 * @notice The shared record of a household's electricity: which wallet owns a meter, the grid
 * operator's official daily anchors (Merkle root of the day's 96 fifteen-minute intervals plus the
 * day's totals), and the household's own attestation anchors (a dispute record).
 *
 * Leaves (off chain, OpenZeppelin merkle-tree StandardMerkleTree, double-hashed, sorted pairs):
 *   (bytes32 meterId, uint64 intervalStart, uint32 seconds, uint64 importWh, uint64 exportWh, bytes32 salt)
 * The salt keeps low-entropy readings from being brute-forced out of a public root.
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
 *
 *   owners[m]        at keccak256(abi.encode(m, BASE + 0))
 *   operatorDays[m][d] at S = keccak256(abi.encode(uint256(d), keccak256(abi.encode(m, BASE + 1))))
 *     S + 0  root      (bytes32)
 *     S + 1  importWh (bytes 0..7, lowest-order) | exportWh (bytes 8..15) | anchoredAt (bytes 16..23)
 *   attestedDays: the same with BASE + 2.
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

    /// @custom:storage-location erc7201:wattlet.storage.EnergyLedger
    struct LedgerStorage {
        mapping(bytes32 meterId => address owner) owners;
        mapping(bytes32 meterId => mapping(uint32 day => DayAnchor)) operatorDays;
        mapping(bytes32 meterId => mapping(uint32 day => DayAnchor)) attestedDays;
    }

    event MeterRegistered(bytes32 indexed meterId, address indexed owner);
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

    function meterOwner(bytes32 meterId) external view returns (address) {
        return _store().owners[meterId];
    }

    // ---- the operator's official anchors ----

    /// Anchors a closed day once. No overwrite: a correction is a dispute, never a quiet rewrite.
    function anchorDay(bytes32 meterId, uint32 day, bytes32 root, uint64 importWh, uint64 exportWh)
        public
        onlyRole(OPERATOR_ROLE)
    {
        LedgerStorage storage $ = _store();
        if ($.owners[meterId] == address(0)) revert MeterUnknown(meterId);
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

    function _store() private pure returns (LedgerStorage storage $) {
        bytes32 slot = STORAGE_BASE;
        assembly {
            $.slot := slot
        }
    }
}
