<?php
/**
 * Test stub (not WooCommerce): the WooCommerce functions the rewardd plugin calls, with
 * WooCommerce's behaviour as INTEGRATION.md describes it (wc_api_hash is
 * HMAC-SHA256 keyed "wc-api", wc_rand_hash is 40 hex characters), plus a minimal
 * [woocommerce_my_account] shortcode that renders the account menu and endpoints.
 *
 * @package Rewardd\Tests
 */

/**
 * The WooCommerce instance.
 */
function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
	return WooCommerce::instance();
}

/**
 * How WooCommerce stores a consumer key.
 *
 * @param string $data Consumer key.
 */
function wc_api_hash( $data ) {
	return hash_hmac( 'sha256', $data, 'wc-api' );
}

/**
 * 40 random hex characters.
 */
function wc_rand_hash() {
	return bin2hex( random_bytes( 20 ) );
}

/**
 * A webhook by id, or null.
 *
 * @param int $id Webhook id.
 * @return WC_Webhook|null
 */
function wc_get_webhook( $id ) {
	$webhook = new WC_Webhook( $id );
	return 0 !== $webhook->get_id() ? $webhook : null;
}

/**
 * An order by id, or false.
 *
 * @param int $id Order id.
 * @return WC_Order|false
 */
function wc_get_order( $id ) {
	$order = new WC_Order( $id );
	return 0 !== $order->get_id() ? $order : false;
}

/**
 * A product by id, or null.
 *
 * @param int $id Product id.
 * @return WC_Product|null
 */
function wc_get_product( $id ) {
	return 'product' === get_post_type( $id ) ? new WC_Product( $id ) : null;
}

/**
 * The store currency.
 */
function get_woocommerce_currency() {
	return apply_filters( 'woocommerce_currency', get_option( 'woocommerce_currency', 'USD' ) );
}

/**
 * Price without tax (the stub has no taxes).
 *
 * @param WC_Product           $product Product.
 * @param array<string, mixed> $args    qty, price.
 * @return float
 */
function wc_get_price_excluding_tax( $product, $args = array() ) {
	$qty   = isset( $args['qty'] ) ? (int) $args['qty'] : 1;
	$price = isset( $args['price'] ) ? $args['price'] : $product->get_price();
	return (float) $price * $qty;
}

/**
 * Formatted price HTML, shaped like WooCommerce's.
 *
 * @param float                $price Price.
 * @param array<string, mixed> $args  currency, decimals.
 */
function wc_price( $price, $args = array() ) {
	$currency = isset( $args['currency'] ) ? $args['currency'] : get_woocommerce_currency();
	$decimals = isset( $args['decimals'] ) ? (int) $args['decimals'] : 2;
	return '<span class="woocommerce-Price-amount amount"><bdi>' . number_format( (float) $price, $decimals, '.', ',' ) . '&nbsp;<span class="woocommerce-Price-currencySymbol">' . esc_html( $currency ) . '</span></bdi></span>';
}

/**
 * Sets a cookie if headers are not sent yet.
 *
 * @param string $name     Name.
 * @param string $value    Value.
 * @param int    $expire   Expiry timestamp.
 * @param bool   $secure   HTTPS only.
 * @param bool   $httponly HTTP only.
 */
function wc_setcookie( $name, $value, $expire = 0, $secure = false, $httponly = false ) {
	if ( headers_sent() ) {
		return;
	}
	setcookie(
		$name,
		$value,
		array(
			'expires'  => $expire,
			'secure'   => $secure,
			'path'     => COOKIEPATH ? COOKIEPATH : '/',
			'domain'   => COOKIE_DOMAIN,
			'httponly' => $httponly,
			'samesite' => 'Lax',
		)
	);
}

/**
 * Permalink of a WooCommerce page; like WooCommerce (3.4+), $fallback (the home URL when null)
 * when the shop has no such page.
 *
 * @param string      $page     myaccount.
 * @param string|null $fallback URL when there is no page.
 */
function wc_get_page_permalink( $page, $fallback = null ) {
	$id        = (int) get_option( 'woocommerce_' . $page . '_page_id' );
	$permalink = $id > 0 ? get_permalink( $id ) : '';
	if ( ! $permalink ) {
		$permalink = null === $fallback ? home_url() : $fallback;
	}
	return apply_filters( 'woocommerce_get_' . $page . '_page_permalink', $permalink );
}

/**
 * URL of a My Account endpoint (plain permalinks: a query argument).
 *
 * @param string $endpoint Endpoint.
 */
function wc_get_account_endpoint_url( $endpoint ) {
	$base = wc_get_page_permalink( 'myaccount' );
	if ( 'dashboard' === $endpoint ) {
		return $base;
	}
	if ( get_option( 'permalink_structure' ) ) {
		return trailingslashit( $base ) . $endpoint . '/';
	}
	return add_query_arg( $endpoint, '1', $base );
}

/**
 * The My Account menu.
 *
 * @return array<string, string>
 */
function wc_get_account_menu_items() {
	return apply_filters(
		'woocommerce_account_menu_items',
		array(
			'dashboard'       => 'Dashboard',
			'orders'          => 'Orders',
			'edit-account'    => 'Account details',
			'customer-logout' => 'Log out',
		)
	);
}

/**
 * A coupon's id by code, 0 when WooCommerce has none. WooCommerce stores a coupon as a
 * 'shop_coupon' post titled with its lower-cased code (INTEGRATION.md W3.3); the rewardd
 * outbox creates it through the REST API, tests with wc_stub_create_coupon().
 *
 * @param string $code Code.
 * @return int
 */
function wc_get_coupon_id_by_code( $code ) {
	$ids = get_posts(
		array(
			'post_type'   => 'shop_coupon',
			'post_status' => 'publish',
			'title'       => strtolower( trim( (string) $code ) ),
			'fields'      => 'ids',
			'numberposts' => 1,
		)
	);
	return $ids ? (int) $ids[0] : 0;
}

/**
 * Test helper: a coupon as the REST API would create it (minimum_amount as post meta, the
 * decimal string rewardd's outbox sends).
 *
 * @param string $code           Code.
 * @param string $minimum_amount Minimum spend, '' for none.
 * @return int Coupon id.
 */
function wc_stub_create_coupon( $code, $minimum_amount = '' ) {
	$id = (int) wp_insert_post(
		array(
			'post_type'   => 'shop_coupon',
			'post_status' => 'publish',
			'post_title'  => strtolower( trim( (string) $code ) ),
		)
	);
	update_post_meta( $id, 'minimum_amount', (string) $minimum_amount );
	return $id;
}

/**
 * Adds a notice for the customer (WooCommerce keeps them in the session until shown).
 *
 * @param string $message HTML.
 * @param string $type    success, notice or error.
 */
function wc_add_notice( $message, $type = 'success' ) {
	$GLOBALS['wc_stub_notices'][ $type ][] = array(
		'notice' => $message,
		'data'   => array(),
	);
}

/**
 * Notices waiting to be shown, all or of one type.
 *
 * @param string $type Type, '' for all.
 * @return array<mixed>
 */
function wc_get_notices( $type = '' ) {
	$all = $GLOBALS['wc_stub_notices'] ?? array();
	return '' === $type ? $all : ( $all[ $type ] ?? array() );
}

/**
 * Number of notices waiting, all or of one type.
 *
 * @param string $type Type, '' for all.
 */
function wc_notice_count( $type = '' ) {
	$notices = wc_get_notices( $type );
	return '' === $type ? (int) array_sum( array_map( 'count', $notices ) ) : count( $notices );
}

/**
 * Forgets the waiting notices.
 */
function wc_clear_notices() {
	$GLOBALS['wc_stub_notices'] = array();
}

/** @return bool */
function is_account_page() {
	$id = (int) get_option( 'woocommerce_myaccount_page_id' );
	return $id && is_page( $id );
}

/** @return bool */
function is_product() {
	return is_singular( 'product' );
}

/** @return bool */
function is_cart() {
	return false;
}

/** @return bool */
function is_checkout() {
	return false;
}

/**
 * [woocommerce_my_account]: the menu and the current endpoint's content.
 */
function wc_stub_my_account_shortcode() {
	if ( ! is_user_logged_in() ) {
		return '<p>Please log in.</p>';
	}
	global $wp;
	$current = 'dashboard';
	foreach ( WC()->get_query_vars() as $key => $var ) {
		if ( isset( $wp->query_vars[ $var ] ) ) {
			$current = $key;
		}
	}
	ob_start();
	echo '<div class="woocommerce"><nav class="woocommerce-MyAccount-navigation"><ul>';
	foreach ( wc_get_account_menu_items() as $endpoint => $label ) {
		$class = $endpoint === $current ? ' class="is-active"' : '';
		echo '<li' . $class . '><a href="' . esc_url( wc_get_account_endpoint_url( $endpoint ) ) . '">' . esc_html( $label ) . '</a></li>'; // phpcs:ignore
	}
	echo '</ul></nav><div class="woocommerce-MyAccount-content">';
	if ( 'dashboard' === $current ) {
		echo '<p>Hello ' . esc_html( wp_get_current_user()->display_name ) . '</p>';
	} else {
		do_action( 'woocommerce_account_' . $current . '_endpoint', $wp->query_vars[ $current ] ?? '' );
	}
	echo '</div></div>';
	return ob_get_clean();
}

/**
 * Orders as WooCommerce's wc_get_orders() finds them, for the arguments the plugin uses:
 * date_modified ('>=TIMESTAMP' or '>TIMESTAMP', UTC), type, limit, page, orderby (ID or
 * date), order and return. Any other argument throws, so the plugin cannot come to rely on
 * something the stub only pretends to do.
 *
 * @param array<string, mixed> $args Query.
 * @return int[]|WC_Order[]
 */
function wc_get_orders( $args ) {
	global $wpdb;
	$args = $args + array(
		'limit'   => (int) get_option( 'posts_per_page' ),
		'page'    => 1,
		'orderby' => 'date',
		'order'   => 'DESC',
		'return'  => 'objects',
		'type'    => 'shop_order',
	);
	$unknown = array_diff( array_keys( $args ), array( 'date_modified', 'limit', 'page', 'orderby', 'order', 'return', 'type' ) );
	if ( $unknown ) {
		throw new InvalidArgumentException( 'wc_get_orders stub: unsupported ' . implode( ', ', $unknown ) );
	}
	$where = '1=1';
	if ( isset( $args['date_modified'] ) ) {
		if ( ! preg_match( '/^(>=?)(\d+)$/', (string) $args['date_modified'], $m ) ) {
			throw new InvalidArgumentException( 'wc_get_orders stub: date_modified must be >=TIMESTAMP or >TIMESTAMP' );
		}
		$where .= $wpdb->prepare( " AND date_updated_gmt {$m[1]} %s", gmdate( 'Y-m-d H:i:s', (int) $m[2] ) ); // phpcs:ignore WordPress.DB.PreparedSQL
	}
	$column = 'ID' === $args['orderby'] || 'id' === $args['orderby'] ? 'id' : 'date_created_gmt';
	$order  = 'ASC' === strtoupper( (string) $args['order'] ) ? 'ASC' : 'DESC';
	$limit  = (int) $args['limit'];
	$paging = $limit > 0 ? $wpdb->prepare( 'LIMIT %d OFFSET %d', $limit, $limit * ( max( 1, (int) $args['page'] ) - 1 ) ) : '';
	$ids    = array_map( 'intval', $wpdb->get_col( "SELECT id FROM {$wpdb->prefix}wc_orders WHERE $where ORDER BY $column $order, id $order $paging" ) ); // phpcs:ignore WordPress.DB
	return 'ids' === $args['return'] ? $ids : array_map( 'wc_get_order', $ids );
}

/**
 * What WooCommerce's Action Scheduler job for an async delivery does.
 *
 * @param int   $webhook_id Webhook id.
 * @param mixed $arg        First hook argument.
 */
function wc_deliver_webhook_async( $webhook_id, $arg ) {
	$webhook = new WC_Webhook( $webhook_id );
	$webhook->deliver( $arg );
}
add_action( 'woocommerce_deliver_webhook_async', 'wc_deliver_webhook_async', 10, 2 );
