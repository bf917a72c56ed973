<?php
/**
 * A fake rewardd for the plugin's tests, run with `php -S 127.0.0.1:PORT router.php`.
 * It follows docs/API.md (routes, bodies, status codes, error ids) and INTEGRATION.md
 * W1.3/W1.7 for the webhook endpoint (it records what it accepted), answers GET /readyz
 * like the daemon (200 ready, or 503 not_ready when a test sets ready false), and keeps
 * its state in a JSON file (REWARDD_FAKE_STATE) that tests read and seed. Tokens come from REWARDD_FAKE_ADMIN_TOKEN
 * and REWARDD_FAKE_STOREFRONT_TOKEN. It is not the daemon and holds no business rules
 * beyond the documented defaults (1 point per 1.00, 100 points = 1.00, minimum 500).
 *
 * @package Rewardd\Tests
 */

require __DIR__ . '/FakeState.php';

$method = $_SERVER['REQUEST_METHOD'];
$path   = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$query  = array();
parse_str( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_QUERY ), $query );
$raw    = (string) file_get_contents( 'php://input' );
$state  = new FakeState( (string) getenv( 'REWARDD_FAKE_STATE' ) );

/**
 * Sends a JSON answer and stops.
 *
 * @param int   $status HTTP status.
 * @param mixed $body   Body to encode.
 */
function fake_answer( int $status, $body ): void {
	http_response_code( $status );
	header( 'Content-Type: application/json' );
	echo json_encode( $body, JSON_UNESCAPED_SLASHES );
	exit;
}

/**
 * Sends a docs/API.md error.
 *
 * @param int    $status  HTTP status.
 * @param string $error   Stable id.
 * @param string $message Sentence.
 * @param string $field   Field at fault or ''.
 */
function fake_error( int $status, string $error, string $message, string $field = '' ): void {
	$body = array( 'error' => $error, 'message' => $message );
	if ( '' !== $field ) {
		$body['field'] = $field;
	}
	fake_answer( $status, $body );
}

/**
 * Normalises an e-mail as docs/API.md says: trim, lower-case.
 *
 * @param string $email E-mail.
 */
function fake_email( string $email ): string {
	return strtolower( trim( $email ) );
}

$state->log( $method, $path, $_SERVER['HTTP_AUTHORIZATION'] ?? '', $raw );
$delay_ms = (int) $state->read()['delay_ms'];
if ( $delay_ms > 0 && 0 === strpos( $path, '/api/' ) ) {
	usleep( $delay_ms * 1000 );
}

if ( 'GET' === $method && '/healthz' === $path ) {
	header( 'Content-Type: text/plain' );
	echo "ok\n";
	exit;
}

if ( 'GET' === $method && '/readyz' === $path ) {
	$ready = false !== $state->read()['ready'];
	fake_answer( $ready ? 200 : 503, array( 'status' => $ready ? 'ready' : 'not_ready' ) );
}

if ( 'POST' === $method && preg_match( '#^/webhooks/woocommerce/([^/]+)$#', $path, $m ) ) {
	$shop_id = rawurldecode( $m[1] );
	$shops   = $state->read()['shops'];
	if ( ! isset( $_SERVER['HTTP_X_WC_WEBHOOK_SIGNATURE'] ) && preg_match( '/^webhook_id=\d+$/', $raw ) ) {
		$state->update(
			static function ( array $s ) use ( $shop_id, $raw ) {
				$s['pings'][] = array( 'shop' => $shop_id, 'body' => $raw );
				return $s;
			}
		);
		http_response_code( 200 );
		exit;
	}
	if ( ! isset( $shops[ $shop_id ] ) ) {
		fake_error( 401, 'unknown_shop', 'No such shop.' );
	}
	$expected = base64_encode( hash_hmac( 'sha256', $raw, $shops[ $shop_id ]['secret'], true ) );
	if ( ! hash_equals( $expected, (string) ( $_SERVER['HTTP_X_WC_WEBHOOK_SIGNATURE'] ?? '' ) ) ) {
		fake_error( 401, 'signature_mismatch', 'Bad signature.' );
	}
	$delivery = json_decode( $raw, true );
	if ( is_array( $delivery ) && in_array( (int) ( $delivery['id'] ?? 0 ), $state->read()['refuse_ids'] ?? array(), true ) ) {
		// What rewardd answers an authentic order it cannot map (docs/API.md), e.g. in a currency it does not know.
		fake_error( 400, 'unknown_currency', 'unknown currency XTS', 'currency' );
	}
	$state->update(
		static function ( array $s ) use ( $shop_id, $delivery ) {
			$s['last_webhook_at'][ $shop_id ] = gmdate( 'Y-m-d\TH:i:s\Z' );
			$s['deliveries'][]                = array(
				'shop'       => $shop_id,
				'topic'      => (string) ( $_SERVER['HTTP_X_WC_WEBHOOK_TOPIC'] ?? '' ),
				'webhook_id' => (int) ( $_SERVER['HTTP_X_WC_WEBHOOK_ID'] ?? 0 ),
				'id'         => is_array( $delivery ) && isset( $delivery['id'] ) ? (int) $delivery['id'] : 0,
			);
			return $s;
		}
	);
	http_response_code( 200 );
	exit;
}

if ( 0 !== strpos( $path, '/api/v1/' ) ) {
	fake_error( 404, 'not_found', 'No such route.' );
}

$auth  = (string) ( $_SERVER['HTTP_AUTHORIZATION'] ?? '' );
$token = 0 === strpos( $auth, 'Bearer ' ) ? substr( $auth, 7 ) : '';
$scope = '';
if ( '' !== $token && hash_equals( (string) getenv( 'REWARDD_FAKE_ADMIN_TOKEN' ), $token ) ) {
	$scope = 'admin';
} elseif ( '' !== $token && '' !== (string) getenv( 'REWARDD_FAKE_STOREFRONT_TOKEN' ) && hash_equals( (string) getenv( 'REWARDD_FAKE_STOREFRONT_TOKEN' ), $token ) ) {
	$scope = 'storefront';
}
if ( '' === $scope ) {
	fake_error( 401, 'unauthorized', 'Missing or unknown bearer token.' );
}
$body = json_decode( $raw, true );
$body = is_array( $body ) ? $body : array();

require __DIR__ . '/routes.php';
fake_route( $state, $method, $path, $query, $body, $scope );
