<?php
/**
 * Test stub (not WooCommerce): an HPOS-style order with meta methods (get_meta,
 * update_meta_data, save), stored in {prefix}wc_orders and {prefix}wc_orders_meta, never in
 * post meta, so a plugin that reads or writes orders through post meta fails its tests.
 * save() stamps date_updated_gmt, HPOS's column behind date_modified (wc_get_orders,
 * get_date_modified()).
 *
 * @package Rewardd\Tests
 */

/**
 * Stub of WooCommerce's WC_Order.
 */
class WC_Order {

	/**
	 * Order id, 0 until saved.
	 *
	 * @var int
	 */
	protected $id = 0;

	/**
	 * Core fields.
	 *
	 * @var array<string, mixed>
	 */
	protected $data = array(
		'status'        => 'checkout-draft',
		'currency'      => 'NOK',
		'customer_id'   => 0,
		'billing_email' => '',
	);

	/**
	 * date_updated_gmt as loaded, null for a new order.
	 *
	 * @var string|null
	 */
	protected $date_updated_gmt = null;

	/**
	 * Meta key => value, as it will be after save().
	 *
	 * @var array<string, mixed>
	 */
	protected $meta = array();

	/**
	 * Loads an order by id or starts a new one.
	 *
	 * @param int $id Order id or 0.
	 */
	public function __construct( $id = 0 ) {
		global $wpdb;
		if ( (int) $id <= 0 ) {
			return;
		}
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->prefix}wc_orders WHERE id = %d", (int) $id ), ARRAY_A );
		if ( ! $row ) {
			return;
		}
		$this->id               = (int) $row['id'];
		$this->date_updated_gmt = $row['date_updated_gmt'];
		foreach ( array_keys( $this->data ) as $key ) {
			$this->data[ $key ] = $row[ $key ];
		}
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT meta_key, meta_value FROM {$wpdb->prefix}wc_orders_meta WHERE order_id = %d", $this->id ), ARRAY_A );
		foreach ( $rows as $meta ) {
			$this->meta[ $meta['meta_key'] ] = maybe_unserialize( $meta['meta_value'] );
		}
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/**
	 * When the order was last saved, as loaded; null for a new order.
	 *
	 * @return WC_DateTime|null
	 */
	public function get_date_modified() {
		return null === $this->date_updated_gmt ? null : new WC_DateTime( $this->date_updated_gmt, new DateTimeZone( 'UTC' ) );
	}

	/** @param string $email E-mail. */
	public function set_billing_email( $email ) {
		$this->data['billing_email'] = (string) $email;
	}

	/** @return string */
	public function get_billing_email() {
		return (string) $this->data['billing_email'];
	}

	/** @param string $status Status without wc-. */
	public function set_status( $status ) {
		$this->data['status'] = (string) $status;
	}

	/** @return string */
	public function get_status() {
		return (string) $this->data['status'];
	}

	/**
	 * One meta value ('' when missing).
	 *
	 * @param string $key    Meta key.
	 * @param bool   $single Ignored; single values only.
	 * @return mixed
	 */
	public function get_meta( $key = '', $single = true ) {
		return array_key_exists( $key, $this->meta ) ? $this->meta[ $key ] : '';
	}

	/**
	 * Sets meta, written on save().
	 *
	 * @param string $key   Meta key.
	 * @param mixed  $value Value.
	 */
	public function update_meta_data( $key, $value ) {
		$this->meta[ (string) $key ] = $value;
	}

	/**
	 * Removes meta on save().
	 *
	 * @param string $key Meta key.
	 */
	public function delete_meta_data( $key ) {
		unset( $this->meta[ (string) $key ] );
	}

	/**
	 * Writes order and meta.
	 *
	 * @return int Id.
	 */
	public function save() {
		global $wpdb;
		if ( 0 === $this->id ) {
			$now = current_time( 'mysql', true );
			$wpdb->insert(
				"{$wpdb->prefix}wc_orders",
				$this->data + array(
					'date_created_gmt' => $now,
					'date_updated_gmt' => $now,
				)
			);
			$this->id = (int) $wpdb->insert_id;
		} else {
			$wpdb->update( "{$wpdb->prefix}wc_orders", $this->data + array( 'date_updated_gmt' => current_time( 'mysql', true ) ), array( 'id' => $this->id ) );
		}
		$wpdb->delete( "{$wpdb->prefix}wc_orders_meta", array( 'order_id' => $this->id ) );
		foreach ( $this->meta as $key => $value ) {
			$wpdb->insert(
				"{$wpdb->prefix}wc_orders_meta",
				array(
					'order_id'   => $this->id,
					'meta_key'   => $key, // phpcs:ignore WordPress.DB.SlowDBQuery
					'meta_value' => maybe_serialize( $value ), // phpcs:ignore WordPress.DB.SlowDBQuery
				)
			);
		}
		return $this->id;
	}
}
