<?php
/**
 * Activation and deactivation: the My Account endpoint's rewrite rule, and pausing or
 * resuming rewardd's webhooks (INTEGRATION.md W4: paused on deactivation) and the job
 * that resends their failed deliveries. Depends on Settings, Webhooks, DeliveryBacklog and
 * JobQueue; runs whether WooCommerce is active or not.
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
	 * On activation: register the endpoint, flush rules, resume paused webhooks and the
	 * resending of what they failed to deliver before.
	 */
	public static function activate(): void {
		AccountTab::add_endpoint();
		flush_rewrite_rules();
		self::set_webhook_status( 'active' );
		if ( ! ( new DeliveryBacklog() )->is_empty() ) {
			( new JobQueue() )->schedule( WebhookRecovery::JOB, 0, true );
		}
	}

	/**
	 * On deactivation: pause the webhooks so WooCommerce stops sending, drop the resending
	 * job (its remembered deliveries stay for the next activation), flush rules.
	 */
	public static function deactivate(): void {
		self::set_webhook_status( 'paused' );
		JobQueue::cancel( WebhookRecovery::JOB );
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
