<?php
/**
 * Test stub (not WooCommerce): WC_Webhook with the setters, save(), deliver_ping() and
 * delete() described in INTEGRATION.md W1.3/W4, stored in {prefix}wc_webhooks like
 * WooCommerce's data store. The ping is the real thing: wp_safe_remote_post() with the
 * body "webhook_id=<id>", success only on HTTP 200 exactly.
 *
 * @package Rewardd\Tests
 */

/**
 * Stub of WooCommerce's WC_Webhook.
 */
class WC_Webhook {

	/**
	 * Row id, 0 until saved.
	 *
	 * @var int
	 */
	protected $id = 0;

	/**
	 * Fields as stored.
	 *
	 * @var array<string, mixed>
	 */
	protected $data = array(
		'status'           => 'disabled',
		'name'             => '',
		'user_id'          => 0,
		'delivery_url'     => '',
		'secret'           => '',
		'topic'            => '',
		'api_version'      => 3,
		'failure_count'    => 0,
		'pending_delivery' => 1,
	);

	/**
	 * Delivery URL when loaded, to notice changes (WC-ds update).
	 *
	 * @var string
	 */
	protected $loaded_url = '';

	/**
	 * Loads a webhook by id, or starts a new one.
	 *
	 * @param int $id Webhook id or 0.
	 */
	public function __construct( $id = 0 ) {
		global $wpdb;
		if ( (int) $id <= 0 ) {
			return;
		}
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->prefix}wc_webhooks WHERE webhook_id = %d", (int) $id ), ARRAY_A );
		if ( ! $row ) {
			return;
		}
		$this->id = (int) $row['webhook_id'];
		foreach ( array_keys( $this->data ) as $key ) {
			$this->data[ $key ] = $row[ $key ];
		}
		$this->loaded_url = (string) $row['delivery_url'];
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @param string $name Name. */
	public function set_name( $name ) {
		$this->data['name'] = (string) $name;
	}

	/** @param int $user_id User the payload is built as. */
	public function set_user_id( $user_id ) {
		$this->data['user_id'] = (int) $user_id;
	}

	/**
	 * Accepts only resource.event topics of core resources, like wc_is_webhook_valid_topic().
	 *
	 * @param string $topic Topic.
	 */
	public function set_topic( $topic ) {
		if ( ! preg_match( '/^(coupon|customer|order|product)\.(created|updated|deleted|restored)$/', (string) $topic ) ) {
			throw new InvalidArgumentException( 'Invalid webhook topic: ' . $topic );
		}
		$this->data['topic'] = (string) $topic;
	}

	/** @param string $url Delivery URL. */
	public function set_delivery_url( $url ) {
		$this->data['delivery_url'] = esc_url_raw( (string) $url, array( 'http', 'https' ) );
	}

	/** @param string $secret Signing secret. */
	public function set_secret( $secret ) {
		$this->data['secret'] = (string) $secret;
	}

	/**
	 * "wp_api_v3" or 3 are stored as 3, like WooCommerce.
	 *
	 * @param string|int $version API version.
	 */
	public function set_api_version( $version ) {
		if ( ! is_numeric( $version ) ) {
			$version = (int) str_replace( array( 'wp_api_v', 'legacy_v' ), '', (string) $version );
		}
		$this->data['api_version'] = (int) $version;
	}

	/** @param string $status active, paused or disabled. */
	public function set_status( $status ) {
		if ( ! in_array( $status, array( 'active', 'paused', 'disabled' ), true ) ) {
			$status = 'disabled';
		}
		$this->data['status'] = $status;
	}

	/** @param bool $pending Pending delivery. */
	public function set_pending_delivery( $pending ) {
		$this->data['pending_delivery'] = $pending ? 1 : 0;
	}

	/** @return string */
	public function get_name() {
		return (string) $this->data['name'];
	}

	/** @return int */
	public function get_user_id() {
		return (int) $this->data['user_id'];
	}

	/** @return string */
	public function get_topic() {
		return (string) $this->data['topic'];
	}

	/** @return string */
	public function get_delivery_url() {
		return (string) $this->data['delivery_url'];
	}

	/** @return string */
	public function get_secret() {
		return (string) $this->data['secret'];
	}

	/** @return string "wp_api_v3" */
	public function get_api_version() {
		return 'wp_api_v' . (int) $this->data['api_version'];
	}

	/** @return string */
	public function get_status() {
		return (string) $this->data['status'];
	}

	/** @return bool */
	public function get_pending_delivery() {
		return (bool) $this->data['pending_delivery'];
	}

	/**
	 * Creates or updates the row. Like WC's data store, an update of an active webhook
	 * that is still pending or has a new URL pings it.
	 *
	 * @return int Id.
	 */
	public function save() {
		global $wpdb;
		$now = current_time( 'mysql' );
		$gmt = current_time( 'mysql', true );
		if ( 0 === $this->id ) {
			$this->data['pending_delivery'] = 1;
			$wpdb->insert(
				"{$wpdb->prefix}wc_webhooks",
				$this->data + array(
					'date_created'      => $now,
					'date_created_gmt'  => $gmt,
					'date_modified'     => $now,
					'date_modified_gmt' => $gmt,
				)
			);
			$this->id         = (int) $wpdb->insert_id;
			$this->loaded_url = $this->get_delivery_url();
			return $this->id;
		}
		$wpdb->update(
			"{$wpdb->prefix}wc_webhooks",
			$this->data + array(
				'date_modified'     => $now,
				'date_modified_gmt' => $gmt,
			),
			array( 'webhook_id' => $this->id )
		);
		$url_changed      = $this->loaded_url !== $this->get_delivery_url();
		$this->loaded_url = $this->get_delivery_url();
		if ( 'active' === $this->get_status() && ( $url_changed || $this->get_pending_delivery() ) ) {
			$this->deliver_ping();
		}
		return $this->id;
	}

	/**
	 * Sends the ping: no signature, no X-WC-* headers, form body webhook_id=<id>.
	 *
	 * @return true|WP_Error
	 */
	public function deliver_ping() {
		$args     = array(
			'user-agent' => 'WooCommerce/9.4.0-stub Hookshot (WordPress/' . get_bloginfo( 'version' ) . ')',
			'body'       => 'webhook_id=' . $this->get_id(),
		);
		$test     = wp_safe_remote_post( $this->get_delivery_url(), $args );
		$response = wp_remote_retrieve_response_code( $test );
		if ( is_wp_error( $test ) ) {
			/* translators: error message */
			return new WP_Error( 'error', sprintf( 'Error: Delivery URL cannot be reached: %s', $test->get_error_message() ) );
		}
		if ( 200 !== (int) $response ) {
			return new WP_Error( 'error', sprintf( 'Error: Delivery URL returned response code: %s', absint( $response ) ) );
		}
		$this->set_pending_delivery( false );
		$this->save();
		return true;
	}

	/**
	 * Deletes the row (webhooks have no trash; $force_delete is accepted for the signature).
	 *
	 * @param bool $force_delete Ignored.
	 * @return bool
	 */
	public function delete( $force_delete = false ) {
		global $wpdb;
		if ( 0 === $this->id ) {
			return false;
		}
		$wpdb->delete( "{$wpdb->prefix}wc_webhooks", array( 'webhook_id' => $this->id ) );
		$this->id = 0;
		return true;
	}
}
