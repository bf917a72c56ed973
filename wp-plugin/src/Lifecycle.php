<?php
/**
 * Activation and deactivation: the My Account endpoint's rewrite rule, and pausing or
 * resuming rewardd's webhooks (INTEGRATION.md W4: paused on deactivation).
 * Depends on Settings and Webhooks; runs whether WooCommerce is active or not.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Activation and deactivation hooks.
 */
final class Lifecycle {

	/**
	 * On activation: register the endpoint, flush rules, resume paused webhooks.
	 */
	public static function activate(): void {
		AccountTab::add_endpoint();
		flush_rewrite_rules();
		self::set_webhook_status( 'active' );
	}

	/**
	 * On deactivation: pause the webhooks so WooCommerce stops sending, flush rules.
	 */
	public static function deactivate(): void {
		self::set_webhook_status( 'paused' );
		flush_rewrite_rules();
	}

	/**
	 * Sets every rewardd webhook to a status when WooCommerce is there.
	 *
	 * @param string $status 'active' or 'paused'.
	 */
	private static function set_webhook_status( string $status ): void {
		$connection = ( new Settings() )->connection();
		if ( empty( $connection['webhook_ids'] ) || ! class_exists( 'WC_Webhook' ) || ! function_exists( 'wc_get_webhook' ) ) {
			return;
		}
		( new Webhooks() )->set_status( (array) $connection['webhook_ids'], $status );
	}
}
