<?php
/**
 * Test stub (not Action Scheduler): the part of Action Scheduler's API (bundled with
 * WooCommerce) that the rewardd plugin calls, with its semantics: an action is pending until
 * it runs; `unique` refuses (returns 0) while a pending or running action has the same hook
 * and group, whatever its arguments; as_next_scheduled_action() gives true for a running
 * or async action, else the pending one's timestamp; the runner calls
 * do_action_ref_array( $hook, array_values( $args ) ). Actions live in one option; tests
 * run the due ones with wc_stub_as_run_due().
 *
 * @package Rewardd\Tests
 */

/**
 * All actions, by id.
 *
 * @return array<int, array{hook: string, args: array, group: string, when: int|null, status: string}>
 */
function wc_stub_as_actions() {
	$actions = get_option( 'wc_stub_action_scheduler', array() );
	return is_array( $actions ) ? $actions : array();
}

/**
 * Stores the actions.
 *
 * @param array<int, array<string, mixed>> $actions Actions.
 */
function wc_stub_as_save( $actions ) {
	update_option( 'wc_stub_action_scheduler', $actions, false );
}

/**
 * Adds an action; 0 when unique and one with that hook and group is pending or running.
 *
 * @param int|null $when   Timestamp, null for async.
 * @param string   $hook   Hook.
 * @param array    $args   Arguments.
 * @param string   $group  Group.
 * @param bool     $unique Unique by hook and group.
 * @return int
 */
function wc_stub_as_create( $when, $hook, $args, $group, $unique ) {
	$actions = wc_stub_as_actions();
	if ( $unique && wc_stub_as_find( $hook, null, $group, array( 'pending', 'running' ) ) ) {
		return 0;
	}
	$id             = $actions ? max( array_keys( $actions ) ) + 1 : 1;
	$actions[ $id ] = array(
		'hook'   => (string) $hook,
		'args'   => (array) $args,
		'group'  => (string) $group,
		'when'   => null === $when ? null : (int) $when,
		'status' => 'pending',
	);
	wc_stub_as_save( $actions );
	return $id;
}

/**
 * Ids of actions matching hook, args (null: any), group ('' : any) and statuses, earliest first.
 *
 * @param string     $hook     Hook.
 * @param array|null $args     Arguments or null.
 * @param string     $group    Group or ''.
 * @param string[]   $statuses Statuses.
 * @return int[]
 */
function wc_stub_as_find( $hook, $args, $group, $statuses ) {
	$found = array();
	foreach ( wc_stub_as_actions() as $id => $action ) {
		if ( $action['hook'] === $hook && in_array( $action['status'], $statuses, true )
			&& ( null === $args || $action['args'] === $args ) && ( '' === $group || $action['group'] === $group ) ) {
			$found[ $id ] = (int) $action['when'];
		}
	}
	asort( $found );
	return array_keys( $found );
}

/**
 * As Action Scheduler: run once, as soon as possible.
 *
 * @param string $hook     Hook.
 * @param array  $args     Arguments.
 * @param string $group    Group.
 * @param bool   $unique   Unique by hook and group.
 * @param int    $priority Ignored.
 * @return int Action id or 0.
 */
function as_enqueue_async_action( $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	return wc_stub_as_create( null, $hook, $args, $group, $unique );
}

/**
 * As Action Scheduler: run once at a time.
 *
 * @param int    $timestamp When.
 * @param string $hook      Hook.
 * @param array  $args      Arguments.
 * @param string $group     Group.
 * @param bool   $unique    Unique by hook and group.
 * @param int    $priority  Ignored.
 * @return int Action id or 0.
 */
function as_schedule_single_action( $timestamp, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	return wc_stub_as_create( (int) $timestamp, $hook, $args, $group, $unique );
}

/**
 * As Action Scheduler: true when running or async, the pending one's time, or false.
 *
 * @param string     $hook  Hook.
 * @param array|null $args  Arguments or null for any.
 * @param string     $group Group.
 * @return int|bool
 */
function as_next_scheduled_action( $hook, $args = null, $group = '' ) {
	if ( wc_stub_as_find( $hook, $args, $group, array( 'running' ) ) ) {
		return true;
	}
	$pending = wc_stub_as_find( $hook, $args, $group, array( 'pending' ) );
	if ( ! $pending ) {
		return false;
	}
	$when = wc_stub_as_actions()[ $pending[0] ]['when'];
	return null === $when ? true : (int) $when;
}

/**
 * As Action Scheduler: whether one is pending or running.
 *
 * @param string     $hook  Hook.
 * @param array|null $args  Arguments or null for any.
 * @param string     $group Group.
 * @return bool
 */
function as_has_scheduled_action( $hook, $args = null, $group = '' ) {
	return (bool) wc_stub_as_find( $hook, $args, $group, array( 'pending', 'running' ) );
}

/**
 * As Action Scheduler: cancels pending actions (all of the hook when no args are given).
 *
 * @param string $hook  Hook.
 * @param array  $args  Arguments.
 * @param string $group Group.
 */
function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	$actions = wc_stub_as_actions();
	foreach ( wc_stub_as_find( $hook, empty( $args ) ? null : $args, $group, array( 'pending' ) ) as $id ) {
		$actions[ $id ]['status'] = 'canceled';
	}
	wc_stub_as_save( $actions );
}

/**
 * Test helper, the queue runner: runs every pending action due at $now (async ones too),
 * earliest first, each marked running while it runs. Actions added meanwhile wait for the
 * next call.
 *
 * @param int|null $now Timestamp, default time().
 * @return int How many ran.
 */
function wc_stub_as_run_due( $now = null ) {
	$now = null === $now ? time() : (int) $now;
	$due = array();
	foreach ( wc_stub_as_actions() as $id => $action ) {
		if ( 'pending' === $action['status'] && ( null === $action['when'] || $action['when'] <= $now ) ) {
			$due[ $id ] = (int) $action['when'];
		}
	}
	asort( $due );
	foreach ( array_keys( $due ) as $id ) {
		$actions = wc_stub_as_actions();
		if ( 'pending' !== $actions[ $id ]['status'] ) {
			continue;
		}
		$actions[ $id ]['status'] = 'running';
		wc_stub_as_save( $actions );
		do_action_ref_array( $actions[ $id ]['hook'], array_values( $actions[ $id ]['args'] ) );
		$actions                  = wc_stub_as_actions();
		$actions[ $id ]['status'] = 'complete';
		wc_stub_as_save( $actions );
	}
	return count( $due );
}
