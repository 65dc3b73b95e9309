// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title DemoToken
 * @notice Demo mode's money (issue 18): a plain ERC-20 standing for a currency, so offers are
 * priced in the household's money on the local chain: "Demo Euro" (EURD) and "Demo Yuan" (CNYD),
 * 6 decimals as the stablecoins a utility might settle in (EURC). Its symbol names its currency,
 * which is how the wallet and the market recognise it. Only the deployer (the demo's faucet) mints.
 * Never deployed outside demo mode and the tests.
 */
contract DemoToken is ERC20 {
    address public immutable minter;
    uint8 private immutable _decimals;

    error NotMinter();

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        minter = msg.sender;
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter();
        _mint(to, amount);
    }
}
