<?php
/**
 * The fake rewardd's /api/v1 routes, one per docs/API.md table row.
 *
 * @package Rewardd\Tests
 */

/**
 * Dispatches an authenticated /api/v1 request.
 *
 * @param FakeState            $state  State.
 * @param string               $method Method.
 * @param string               $path   Path.
 * @param array<string, mixed> $query  Query.
 * @param array<string, mixed> $body   JSON body.
 * @param string               $scope  admin or storefront.
 */
function fake_route( FakeState $state, string $method, string $path, array $query, array $body, string $scope ): void {
	if ( 'GET' === $method && '/api/v1/status' === $path ) {
		$s    = $state->read();
		$last = array();
		foreach ( array_keys( $s['shops'] ) as $id ) {
			$last[ $id ] = $s['last_webhook_at'][ $id ] ?? null;
		}
		fake_answer(
			200,
			array(
				'ok'              => true,
				'version'         => '0.0.0-fake',
				'shops'           => count( $s['shops'] ),
				'outbox_backlog'  => (int) $s['outbox_backlog'],
				'last_webhook_at' => (object) $last,
			)
		);
	}
	if ( 'POST' === $method && '/api/v1/shops' === $path ) {
		fake_require_admin( $scope );
		fake_add_shop( $state, $body );
	}
	if ( 'DELETE' === $method && preg_match( '#^/api/v1/shops/([^/]+)$#', $path, $m ) ) {
		fake_require_admin( $scope );
		$id = rawurldecode( $m[1] );
		if ( ! isset( $state->read()['shops'][ $id ] ) ) {
			fake_error( 404, 'unknown_shop', 'No shop with that id.' );
		}
		$state->update(
			static function ( array $s ) use ( $id ) {
				unset( $s['shops'][ $id ] );
				return $s;
			}
		);
		fake_answer( 200, array( 'removed' => $id ) );
	}
	if ( 'GET' === $method && preg_match( '#^/api/v1/customers/([^/]+)/referral$#', $path, $m ) ) {
		if ( empty( $query['shop'] ) || ! is_string( $query['shop'] ) ) {
			fake_error( 400, 'missing_field', 'shop: is required', 'shop' );
		}
		$email = fake_email( rawurldecode( $m[1] ) );
		fake_answer( 200, array( 'code' => 'REF' . strtoupper( substr( md5( $email ), 0, 8 ) ), 'shop' => $query['shop'] ) );
	}
	if ( 'GET' === $method && preg_match( '#^/api/v1/customers/([^/]+)$#', $path, $m ) ) {
		fake_customer( $state, fake_email( rawurldecode( $m[1] ) ), isset( $query['history'] ) ? (int) $query['history'] : 20, (string) ( $query['currency'] ?? '' ) );
	}
	if ( 'POST' === $method && '/api/v1/quote' === $path ) {
		fake_quote( $state, $body );
	}
	if ( 'POST' === $method && '/api/v1/redeem' === $path ) {
		fake_redeem( $state, $body );
	}
	fake_error( 404, 'not_found', 'No such route.' );
}

/**
 * Refuses storefront tokens on admin routes.
 *
 * @param string $scope Token scope.
 */
function fake_require_admin( string $scope ): void {
	if ( 'admin' !== $scope ) {
		fake_error( 403, 'forbidden', 'This route needs an admin token.' );
	}
}

/**
 * POST /api/v1/shops.
 *
 * @param FakeState            $state State.
 * @param array<string, mixed> $body  Body.
 */
function fake_add_shop( FakeState $state, array $body ): void {
	foreach ( array( 'id', 'platform', 'secret', 'url', 'consumer_key', 'consumer_secret' ) as $field ) {
		if ( ! isset( $body[ $field ] ) || ! is_string( $body[ $field ] ) || '' === $body[ $field ] ) {
			fake_error( 400, 'bad_request', 'Missing ' . $field . '.', $field );
		}
	}
	if ( ! in_array( $body['platform'], array( 'woocommerce', 'shopify', 'custom' ), true ) ) {
		fake_error( 400, 'bad_request', 'Unknown platform.', 'platform' );
	}
	if ( ! preg_match( '/^[A-Za-z0-9]{32,}$/', $body['secret'] ) ) {
		fake_error( 400, 'bad_request', 'The secret must be 32 or more letters and digits.', 'secret' );
	}
	$id      = $body['id'];
	$existed = isset( $state->read()['shops'][ $id ] );
	$state->update(
		static function ( array $s ) use ( $body, $id ) {
			$s['shops'][ $id ] = $body;
			return $s;
		}
	);
	fake_answer(
		$existed ? 200 : 201,
		array(
			'shop'        => array(
				'id'       => $id,
				'platform' => $body['platform'],
				'url'      => $body['url'],
			),
			'webhook_url' => '/webhooks/woocommerce/' . rawurlencode( $id ),
		)
	);
}

/**
 * GET /api/v1/customers/{email}.
 *
 * @param FakeState $state    State.
 * @param string    $email    Normalised e-mail.
 * @param int       $history  How many entries.
 * @param string    $currency ?currency= (the shop's), which wins over the customer's own, as in rewardd.
 */
function fake_customer( FakeState $state, string $email, int $history, string $currency ): void {
	$customers = $state->read()['customers'];
	if ( ! isset( $customers[ $email ] ) ) {
		fake_error( 404, 'not_found', 'No such customer.' );
	}
	$c        = $customers[ $email ];
	$currency = '' !== $currency ? strtoupper( $currency ) : ( $c['currency'] ?? 'NOK' );
	$answer   = array(
		'customer'           => array( 'id' => 'c-' . substr( md5( $email ), 0, 6 ), 'email' => $email ),
		'available'          => (int) $c['available'],
		'pending'            => (int) ( $c['pending'] ?? 0 ),
		'tier'               => (string) ( $c['tier'] ?? 'Bronze' ),
		'lifetime_earned'    => (int) ( $c['lifetime_earned'] ?? $c['available'] ),
		'lifetime_redeemed'  => (int) ( $c['lifetime_redeemed'] ?? 0 ),
		'history'            => array_slice( $c['history'] ?? array(), 0, $history ),
		'points_value_minor' => fake_points_value_minor( (int) $c['available'], $currency ),
		'currency'           => $currency,
		'next_tier'          => $c['next_tier'] ?? null,
	);
	fake_answer( 200, $answer );
}

/**
 * Worth of points at the default rate (100 points = 1.00).
 *
 * @param int    $points   Points.
 * @param string $currency Currency.
 */
function fake_points_value_minor( int $points, string $currency ): int {
	$scale = in_array( $currency, array( 'JPY', 'KRW', 'ISK' ), true ) ? 0 : ( in_array( $currency, array( 'KWD', 'BHD', 'OMR', 'JOD' ), true ) ? 3 : 2 );
	return intdiv( $points * ( 10 ** $scale ), 100 );
}

/**
 * POST /api/v1/quote: 1 point per 1.00 of (lines - discount), rounded down.
 *
 * @param FakeState            $state State.
 * @param array<string, mixed> $body  Body.
 */
function fake_quote( FakeState $state, array $body ): void {
	if ( ! isset( $body['shop'], $body['currency'], $body['lines'] ) || ! is_array( $body['lines'] ) ) {
		fake_error( 400, 'bad_request', 'shop, currency and lines are required.', 'lines' );
	}
	if ( ! isset( $state->read()['shops'][ $body['shop'] ] ) ) {
		fake_error( 404, 'unknown_shop', 'No shop with that id.' );
	}
	$total = 0;
	foreach ( $body['lines'] as $i => $line ) {
		if ( ! isset( $line['product_id'], $line['quantity'], $line['total'] ) || ! is_int( $line['total'] ) || ! is_array( $line['categories'] ?? null ) ) {
			fake_error( 400, 'bad_request', 'Each line needs product_id, categories, quantity and an integer total.', 'lines[' . $i . ']' );
		}
		$total += $line['total'];
	}
	$total -= (int) ( $body['discount'] ?? 0 );
	$scale  = in_array( $body['currency'], array( 'JPY', 'KRW', 'ISK' ), true ) ? 1 : ( in_array( $body['currency'], array( 'KWD', 'BHD', 'OMR', 'JOD' ), true ) ? 1000 : 100 );
	fake_answer( 200, array( 'points' => max( 0, intdiv( $total, $scale ) ) ) );
}

/**
 * POST /api/v1/redeem: minimum 500 points, 100 points = 1.00; idempotent by redemption_id
 * (the first answer again, 200; other points or another customer: 409
 * exists_with_different_content); a cart_total caps the discount at half of it.
 *
 * A test can lose the answer: each entry of the state's redeem_faults is used by one request,
 * in order: {"commit": bool, "delay_ms": int, "status": int, "error": string}. With commit the
 * redemption is decided (and stored) first, else the fault comes first; then the fake sleeps
 * delay_ms (longer than the plugin's timeout: the answer never arrives) and answers status
 * with error (e.g. 502 bad_gateway, 503 storage_unavailable), or with status 0 the real answer,
 * late. Without commit and without status the redemption is decided after the delay.
 *
 * @param FakeState            $state State.
 * @param array<string, mixed> $body  Body.
 */
function fake_redeem( FakeState $state, array $body ): void {
	$fault = null;
	$state->update(
		static function ( array $s ) use ( &$fault ) {
			if ( ! empty( $s['redeem_faults'] ) ) {
				$fault = array_shift( $s['redeem_faults'] );
			}
			return $s;
		}
	);
	if ( is_array( $fault ) && empty( $fault['commit'] ) ) {
		fake_redeem_fault( $fault );
	}
	list( $status, $answer ) = fake_redeem_outcome( $state, $body );
	if ( is_array( $fault ) && ! empty( $fault['commit'] ) ) {
		fake_redeem_fault( $fault );
	}
	fake_answer( $status, $answer );
}

/**
 * Waits as a fault says, then answers its error, if it has one.
 *
 * @param array<string, mixed> $fault One entry of redeem_faults.
 */
function fake_redeem_fault( array $fault ): void {
	usleep( 1000 * (int) ( $fault['delay_ms'] ?? 0 ) );
	if ( (int) ( $fault['status'] ?? 0 ) > 0 ) {
		fake_error( (int) $fault['status'], (string) ( $fault['error'] ?? 'bad_gateway' ), 'The answer was lost (fake rewardd).' );
	}
}

/**
 * Decides a redemption (and stores it when it is new).
 *
 * @param FakeState            $state State.
 * @param array<string, mixed> $body  Body.
 * @return array{0: int, 1: array<string, mixed>} Status and answer.
 */
function fake_redeem_outcome( FakeState $state, array $body ): array {
	if ( ! isset( $body['shop'], $body['customer_email'], $body['points'], $body['redemption_id'] ) || ! is_int( $body['points'] ) ) {
		return fake_refusal( 400, 'missing_field', 'shop, customer_email, redemption_id and an integer points are required.', 'points' );
	}
	if ( ! preg_match( '/^[A-Za-z0-9_.-]{1,100}$/', (string) $body['redemption_id'] ) ) {
		return fake_refusal( 400, 'invalid_field', 'redemption_id: 1-100 of [A-Za-z0-9_.-]', 'redemption_id' );
	}
	$s     = $state->read();
	$email = fake_email( $body['customer_email'] );
	if ( ! isset( $s['shops'][ $body['shop'] ] ) ) {
		return fake_refusal( 404, 'unknown_shop', 'No shop with that id.' );
	}
	foreach ( $s['redemptions'] as $done ) {
		if ( $done['id'] === $body['redemption_id'] ) {
			if ( $done['points'] !== $body['points'] || $done['email'] !== $email ) {
				return fake_refusal( 409, 'exists_with_different_content', 'That redemption_id was used for other points or another customer.', 'redemption_id' );
			}
			return array( 200, array( 'existed' => true ) + $done['answer'] );
		}
	}
	if ( $body['points'] < 500 ) {
		return fake_refusal( 409, 'below_minimum_redemption', 'The minimum redemption is 500 points.', 'points' );
	}
	if ( ! isset( $s['customers'][ $email ] ) || $s['customers'][ $email ]['available'] < $body['points'] ) {
		return fake_refusal( 409, 'insufficient_points', 'Not enough points available.', 'points' );
	}
	$currency = $s['customers'][ $email ]['currency'] ?? 'NOK';
	$amount   = fake_points_value_minor( $body['points'], $currency );
	if ( isset( $body['cart_total'] ) && $amount * 2 > $body['cart_total'] ) {
		return fake_refusal( 409, 'exceeds_cart_share', 'At most half of the cart can be paid with points.', 'points' );
	}
	$coupon = array(
		'redemption_id' => $body['redemption_id'],
		'code'          => 'RWD-' . strtoupper( substr( md5( $body['shop'] . ':' . $body['redemption_id'] ), 0, 8 ) ),
		'status'        => $s['redeem_status'],
		'points'        => $body['points'],
		'amount_minor'  => $amount,
		'currency'      => $currency,
		'expires_at'    => null,
		// At most half a cart payable with points: the code asks for an order of twice its value.
		'minimum_subtotal_minor' => $amount * 2,
	);
	$state->update(
		static function ( array $s ) use ( $email, $body, $coupon ) {
			$s['customers'][ $email ]['available'] -= $body['points'];
			$s['redemptions'][]                     = array(
				'id'     => $body['redemption_id'],
				'email'  => $email,
				'points' => $body['points'],
				'code'   => $coupon['code'],
				'answer' => $coupon,
			);
			return $s;
		}
	);
	return array( 201, array( 'existed' => false ) + $coupon );
}

/**
 * A docs/API.md error as status and body (fake_error() sends one at once).
 *
 * @param int    $status  HTTP status.
 * @param string $error   Stable id.
 * @param string $message Sentence.
 * @param string $field   Field at fault or ''.
 * @return array{0: int, 1: array<string, string>}
 */
function fake_refusal( int $status, string $error, string $message, string $field = '' ): array {
	$body = array(
		'error'   => $error,
		'message' => $message,
	);
	if ( '' !== $field ) {
		$body['field'] = $field;
	}
	return array( $status, $body );
}
