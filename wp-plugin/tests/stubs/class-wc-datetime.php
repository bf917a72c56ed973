<?php
/**
 * Test stub (not WooCommerce): WC_DateTime, which WooCommerce's order date getters return;
 * WooCommerce's extends DateTime with helpers the plugin does not use.
 *
 * @package Rewardd\Tests
 */

/**
 * Stub of WooCommerce's WC_DateTime.
 */
class WC_DateTime extends DateTime {
}
