<?php
/**
 * Runs when the plugin is deleted from WordPress: removes rewardd's webhooks, revokes its
 * WooCommerce API key, cancels its job and deletes every option, transient and user meta it wrote.
 * rewardd itself keeps the shop's ledger; remove the shop there with `rewardd shop remove`.
 *
 * @package Rewardd
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;

$rewardd_connection = get_option( 'rewardd_connection', array() );
if ( is_array( $rewardd_connection ) && ! empty( $rewardd_connection ) ) {
	if ( function_exists( 'wc_get_webhook' ) && ! empty( $rewardd_connection['webhook_ids'] ) ) {
		foreach ( (array) $rewardd_connection['webhook_ids'] as $rewardd_webhook_id ) {
			$rewardd_webhook = wc_get_webhook( (int) $rewardd_webhook_id );
			if ( $rewardd_webhook ) {
				$rewardd_webhook->delete( true );
			}
		}
	}
	if ( ! empty( $rewardd_connection['key_id'] ) ) {
		$wpdb->delete( $wpdb->prefix . 'woocommerce_api_keys', array( 'key_id' => (int) $rewardd_connection['key_id'] ), array( '%d' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}
}

foreach ( array( 'rewardd_url', 'rewardd_shop_id', 'rewardd_admin_token', 'rewardd_connection', 'rewardd_webhook_backlog', 'rewardd_webhook_backlog_lock' ) as $rewardd_option ) {
	delete_option( $rewardd_option );
}

// The job that resends failed webhook deliveries, in whichever scheduler it was queued.
if ( function_exists( 'as_unschedule_all_actions' ) ) {
	as_unschedule_all_actions( 'rewardd_recover_webhooks', array(), 'rewardd' );
}
wp_clear_scheduled_hook( 'rewardd_recover_webhooks' );

// Transients: cached reads, flash messages and the "unavailable" marker.
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_rewardd\\_%' OR option_name LIKE '\\_transient\\_timeout\\_rewardd\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
delete_metadata( 'user', 0, 'rewardd_last_code', '', true );
delete_metadata( 'user', 0, 'rewardd_referral_code', '', true );
delete_metadata( 'user', 0, 'rewardd_apply_code', '', true );
delete_metadata( 'user', 0, 'rewardd_pending_redemption', '', true );
delete_metadata( 'user', 0, 'rewardd_verified_email', '', true );
delete_metadata( 'user', 0, 'rewardd_email_token', '', true );
