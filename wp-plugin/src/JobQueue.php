<?php
/**
 * Schedules the plugin's background jobs: through Action Scheduler, which WooCommerce
 * bundles (STYLE.md), and through WP-Cron only where its functions are missing.
 * Depends on nothing but those two APIs.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * One-off jobs without arguments, by hook name.
 */
final class JobQueue {

	/**
	 * Action Scheduler group, so WooCommerce › Status › Scheduled Actions lists them together.
	 */
	const GROUP = 'rewardd';

	/**
	 * Whether Action Scheduler is used.
	 *
	 * @var bool
	 */
	private $action_scheduler;

	/**
	 * Picks the scheduler.
	 *
	 * @param bool|null $action_scheduler Force one (tests); null: Action Scheduler when loaded.
	 */
	public function __construct( ?bool $action_scheduler = null ) {
		$this->action_scheduler = null !== $action_scheduler ? $action_scheduler : function_exists( 'as_schedule_single_action' );
	}

	/**
	 * Runs $hook once, $delay_seconds from now.
	 *
	 * @param string $hook          Action hook.
	 * @param int    $delay_seconds 0 for as soon as possible.
	 * @param bool   $unique        Not when the job is already waiting or running. A job that
	 *                              schedules its own next run passes false: Action Scheduler
	 *                              counts the running one.
	 */
	public function schedule( string $hook, int $delay_seconds, bool $unique ): void {
		if ( $this->action_scheduler ) {
			if ( $delay_seconds <= 0 ) {
				as_enqueue_async_action( $hook, array(), self::GROUP, $unique );
			} else {
				as_schedule_single_action( time() + $delay_seconds, $hook, array(), self::GROUP, $unique );
			}
			return;
		}
		if ( $unique && false !== wp_next_scheduled( $hook ) ) {
			return;
		}
		wp_schedule_single_event( time() + max( 0, $delay_seconds ), $hook );
	}

	/**
	 * When the job runs next: a timestamp (now when it is due or running), or null.
	 *
	 * @param string $hook Action hook.
	 */
	public function next_run( string $hook ): ?int {
		$next = $this->action_scheduler ? as_next_scheduled_action( $hook, null, self::GROUP ) : wp_next_scheduled( $hook );
		if ( true === $next ) {
			return time();
		}
		return is_int( $next ) ? $next : null;
	}

	/**
	 * Cancels every waiting run, in both schedulers (the plugin may have used either).
	 *
	 * @param string $hook Action hook.
	 */
	public static function cancel( string $hook ): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( $hook, array(), self::GROUP );
		}
		wp_clear_scheduled_hook( $hook );
	}
}
