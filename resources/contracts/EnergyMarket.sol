// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * TEMPORARY STUB written by the ledger issue (7) so EnergyLedger compiles before the market issue (8)
 * lands. The market helper owns this file and replaces it wholesale. EnergyLedger implements the
 * two hooks below: the operator's anchored root of a meter's day (zero if none) and a meter's owner.
 */
abstract contract EnergyMarket {
    function _operatorRoot(bytes32 meterId, uint32 day) internal view virtual returns (bytes32);

    function _meterOwner(bytes32 meterId) internal view virtual returns (address);
}
