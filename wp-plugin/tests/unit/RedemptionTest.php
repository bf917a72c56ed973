<?php
/**
 * The Redeem form submitted end to end against the fake rewardd (docs/API.md POST
 * /api/v1/redeem): the body rewardd gets, the code shown, idempotency by the form's
 * redemption id, rewardd's refusals, and the code put into an open cart — at once when the
 * coupon already exists in WooCommerce, else on the next cart load once the outbox has created
 * it (classic and block carts both load the cart from the session). WooCommerce's coupon
 * lookup and cart are the stub's (tests/stubs, written from INTEGRATION.md W3.3).
 * A lost answer (the fake's redeem_faults: rewardd redeemed, the answer never came) keeps the
 * redemption id for the next form, so pressing Redeem again gets the first code, not a second.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Redeeming points.
 */
final class RedemptionTest extends TestCase {

	const EMAIL = 'kari@example.test';

	const NOT_CONFIRMED = 'Your redemption could not be confirmed: your points may already have been redeemed. Press Redeem again to finish it and see your code; you will not be charged twice.';

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$this->register_shop_in_fake();
		$kari = $this->customer( 'kari', self::EMAIL );
		delete_user_meta( $kari->ID, 'rewardd_last_code' );
		delete_user_meta( $kari->ID, 'rewardd_apply_code' );
		delete_user_meta( $kari->ID, 'rewardd_pending_redemption' );
		$this->fake_update(
			static function ( array $s ) {
				$s['customers'][ self::EMAIL ] = array(
					'available' => 1250,
					'pending'   => 0,
					'currency'  => 'NOK',
					'history'   => array(),
				);
				return $s;
			}
		);
	}

	public function test_what_happens_when_a_customer_redeems_points(): void {
		$location = $this->post_redeem( 600, 'wp-form-1' );
		$this->assertSame( wc_get_account_endpoint_url( 'rewards' ), $location, 'back to the tab (post/redirect/get)' );

		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'] );
		$sent = json_decode( $this->last_request( '/api/v1/redeem' )['body'], true );
		$this->assertSame(
			array(
				'shop'           => self::SHOP_ID,
				'customer_email' => self::EMAIL,
				'points'         => 600,
				'redemption_id'  => 'wp-form-1',
				'currency'       => 'NOK',
			),
			$sent,
			'docs/API.md redeem body; no cart_total without a cart'
		);
		$code = $fake['redemptions'][0]['code'];
		$this->assertSame( 650, $fake['customers'][ self::EMAIL ]['available'] );

		$html = $this->render_tab();
		$this->assertStringContainsString( "Your code is $code. Enter it at checkout.", self::text( $html ) );
		$this->assertStringContainsString( "Your latest code: $code 6.00 NOK on orders from 12.00 NOK", self::text( $html ), 'the minimum order the code carries (docs/API.md minimum_subtotal_minor)' );
		$this->assertStringContainsString( '650', self::text( $html ), 'the balance is read again after redeeming' );
		$this->assertSame( array(), WC()->cart->get_applied_coupons(), 'no open cart, nothing applied' );
	}

	public function test_what_happens_when_the_form_is_submitted_twice(): void {
		$this->post_redeem( 600, 'wp-form-2' );
		$this->post_redeem( 600, 'wp-form-2' );
		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'], 'one redemption' );
		$this->assertSame( 650, $fake['customers'][ self::EMAIL ]['available'], 'points taken once' );
		$this->assertCount( 2, array_filter( $fake['requests'], static function ( $r ) { return '/api/v1/redeem' === $r['path']; } ) );
		$this->assertStringContainsString( 'Your code is ' . $fake['redemptions'][0]['code'], self::text( $this->render_tab() ), 'the second submit shows the same code' );
	}

	public function test_what_happens_when_a_customer_redeems_with_an_open_cart_and_the_coupon_exists(): void {
		WC()->cart->add_to_cart( 1, 1, '250.00' );
		$code = $this->expected_code( 'wp-form-3' );
		wc_stub_create_coupon( $code ); // The outbox was quicker than the answer.
		$this->post_redeem( 500, 'wp-form-3' );
		$this->assertSame( 25000, json_decode( $this->last_request( '/api/v1/redeem' )['body'], true )['cart_total'], 'the cart total goes along for the cart-share rule' );
		$this->assertSame( array( strtolower( $code ) ), WC()->cart->get_applied_coupons() );
		$this->assertStringContainsString( "Your code $code has been applied to your cart.", self::text( $this->render_tab() ) );
	}

	public function test_what_happens_when_the_coupon_is_still_queued(): void {
		WC()->cart->add_to_cart( 1, 1, '250.00' );
		$this->post_redeem( 500, 'wp-form-4' );
		$code = $this->fake()['redemptions'][0]['code'];
		$this->assertSame( array(), WC()->cart->get_applied_coupons(), 'a queued code does not exist in WooCommerce yet' );
		$this->assertStringContainsString( "Your code is $code. It will be applied to your cart in a moment.", self::text( $this->render_tab() ) );

		do_action( 'woocommerce_cart_loaded_from_session', WC()->cart );
		$this->assertSame( array(), WC()->cart->get_applied_coupons(), 'still not in WooCommerce: still waiting' );

		wc_stub_create_coupon( $code ); // The outbox has delivered it.
		$requests = count( $this->fake()['requests'] );
		do_action( 'woocommerce_cart_loaded_from_session', WC()->cart );
		$this->assertSame( array( strtolower( $code ) ), WC()->cart->get_applied_coupons(), 'applied on the next cart load' );
		$this->assertSame( $requests, count( $this->fake()['requests'] ), 'without asking rewardd' );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_apply_code', true ), 'and forgotten' );
	}

	public function test_what_happens_when_rewardd_refuses(): void {
		$this->post_redeem( 100, 'wp-form-5' );
		$this->assertStringContainsString( 'That is below the minimum number of points you can redeem.', self::text( $this->render_tab() ) );
		$this->post_redeem( 5000, 'wp-form-6' );
		$this->assertStringContainsString( 'You do not have that many points available.', self::text( $this->render_tab() ) );
		WC()->cart->add_to_cart( 1, 1, '9.00' );
		$this->post_redeem( 1000, 'wp-form-7' );
		$this->assertStringContainsString( 'That is more than can be paid with points for the cart you have open.', self::text( $this->render_tab() ) );
		$this->assertSame( array(), $this->fake()['redemptions'] );
	}

	public function test_what_happens_when_rewardd_is_down(): void {
		$this->configure( self::closed_port_url() );
		$this->post_redeem( 600, 'wp-form-8' );
		$html = $this->render_tab();
		$this->assertStringContainsString( self::NOT_CONFIRMED, self::text( $html ), 'no answer: the plugin cannot know that nothing was redeemed' );
		$this->assertStringNotContainsString( 'nothing was redeemed', self::text( $html ) );

		$this->configure(); // rewardd is back.
		delete_transient( 'rewardd_unavailable' );
		$form = self::form_fields( $this->render_tab() );
		$this->assertSame( array( 'wp-form-8', '600', true ), $form, 'the next form finishes the same redemption' );
		$this->post_redeem( (int) $form[1], $form[0] );
		$fake = $this->fake();
		$this->assertSame( array( 'wp-form-8' ), array_column( $fake['redemptions'], 'id' ) );
		$this->assertStringContainsString( 'Your code is ' . $fake['redemptions'][0]['code'], self::text( $this->render_tab() ) );
	}

	public function test_what_happens_when_rewardd_redeems_but_its_answer_is_lost(): void {
		$this->lose_redeem_answers( array( 'commit' => true, 'status' => 502, 'error' => 'bad_gateway' ) );
		list( $id ) = self::form_fields( $this->render_tab() );
		$this->post_redeem( 600, $id );
		$this->assertCount( 1, $this->fake()['redemptions'], 'rewardd redeemed; only its answer was lost' );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_last_code', true ), 'no code known yet' );

		$html = $this->render_tab();
		$this->assertSame( array( $id, '600', true ), self::form_fields( $html ), 'the next form carries the same redemption id and points' );
		$this->assertStringContainsString( self::NOT_CONFIRMED, self::text( $html ) );
		$this->assertStringNotContainsString( 'nothing was redeemed', self::text( $html ) );
		$this->assertStringContainsString( 'Your redemption of 600 points could not be confirmed yet. Press Redeem to finish it and see your code; you will not be charged twice.', self::text( $html ) );
		$this->assertSame( $id, self::form_fields( $this->render_tab() )[0], 'every form until rewardd has answered' );

		$this->post_redeem( 600, $id );
		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'], 'the retry made no second coupon' );
		$this->assertSame( 650, $fake['customers'][ self::EMAIL ]['available'], 'points taken once' );
		$code = $fake['redemptions'][0]['code'];
		$html = $this->render_tab();
		$this->assertStringContainsString( "Your code is $code. Enter it at checkout.", self::text( $html ), 'the retry shows the first code' );
		$this->assertStringContainsString( "Your latest code: $code 6.00 NOK", self::text( $html ) );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_pending_redemption', true ), 'answered: nothing pending' );
		$this->assertNotSame( $id, self::form_fields( $html )[0], 'a new form is a new redemption' );
		$this->assertFalse( self::form_fields( $html )[2], 'with points to choose again' );
	}

	public function test_what_happens_when_the_customer_presses_redeem_again_after_a_lost_answer(): void {
		$this->lose_redeem_answers( array( 'commit' => true, 'status' => 504, 'error' => 'gateway_timeout' ) );
		list( $id ) = self::form_fields( $this->render_tab() );
		$this->post_redeem( 600, $id );
		list( $again_id, $again_points ) = self::form_fields( $this->render_tab() );
		$this->post_redeem( (int) $again_points, $again_id ); // The next form, as shown.
		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'], 'one coupon for one redemption, not a second one next to the lost one' );
		$this->assertSame( 650, $fake['customers'][ self::EMAIL ]['available'] );
		$this->assertSame( 2, count( array_filter( $fake['requests'], static function ( $r ) { return '/api/v1/redeem' === $r['path']; } ) ) );
		$this->assertStringContainsString( 'Your code is ' . $fake['redemptions'][0]['code'] . '. Enter it at checkout.', self::text( $this->render_tab() ), 'the code of the lost answer is shown' );
	}

	public function test_what_happens_when_a_redeem_times_out_after_rewardd_took_every_point(): void {
		$this->lose_redeem_answers( array( 'commit' => true, 'delay_ms' => 6500 ) );
		list( $id ) = self::form_fields( $this->render_tab() );
		$start = microtime( true );
		$this->post_redeem( 1250, $id );
		$this->assertGreaterThanOrEqual( 4.9, microtime( true ) - $start, 'the 5-second timeout' );
		$this->assertSame( 0, $this->fake()['customers'][ self::EMAIL ]['available'], 'rewardd took the points' );

		$html = $this->render_tab();
		$this->assertStringContainsString( self::NOT_CONFIRMED, self::text( $html ) );
		$this->assertStringNotContainsString( 'You have no points to redeem yet.', self::text( $html ) );
		$this->assertSame( array( $id, '1250', true ), self::form_fields( $html ), 'the form stays, with the same id, though the balance is 0 now' );

		$this->post_redeem( 1250, $id );
		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'] );
		$this->assertStringContainsString( 'Your code is ' . $fake['redemptions'][0]['code'] . '. Enter it at checkout.', self::text( $this->render_tab() ) );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_pending_redemption', true ) );
	}

	public function test_what_happens_when_rewardd_refuses_the_retry_of_a_lost_answer(): void {
		$this->lose_redeem_answers( array( 'commit' => false, 'status' => 502, 'error' => 'bad_gateway' ) );
		list( $id ) = self::form_fields( $this->render_tab() );
		$this->post_redeem( 600, $id );
		$this->assertSame( array(), $this->fake()['redemptions'], 'lost before rewardd decided' );
		$this->fake_update(
			static function ( array $s ) {
				$s['customers'][ self::EMAIL ]['available'] = 550; // Spent meanwhile.
				return $s;
			}
		);
		$this->assertSame( $id, self::form_fields( $this->render_tab() )[0] );

		$this->post_redeem( 600, $id );
		$html = $this->render_tab();
		$this->assertStringContainsString( 'You do not have that many points available.', self::text( $html ) );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_pending_redemption', true ), 'a refusal is an answer: nothing pending' );
		$form = self::form_fields( $html );
		$this->assertNotSame( $id, $form[0], 'the next form is a new redemption' );
		$this->assertSame( array( '550', false ), array( $form[1], $form[2] ) );
		$this->assertSame( array(), $this->fake()['redemptions'] );
	}

	public function test_what_happens_when_rewardd_cannot_store_a_redemption(): void {
		$this->lose_redeem_answers( array( 'commit' => false, 'status' => 503, 'error' => 'storage_unavailable' ) );
		list( $id ) = self::form_fields( $this->render_tab() );
		$this->post_redeem( 600, $id );
		$html = $this->render_tab();
		$this->assertStringContainsString( 'Rewards are unavailable right now, nothing was redeemed.', self::text( $html ), 'storage_unavailable stores nothing (docs/errors.md)' );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_pending_redemption', true ) );
		$this->assertNotSame( $id, self::form_fields( $html )[0] );
	}

	public function test_what_happens_when_the_retry_of_a_lost_answer_is_not_looked_at(): void {
		$this->lose_redeem_answers(
			array( 'commit' => true, 'status' => 502, 'error' => 'bad_gateway' ),
			array( 'commit' => false, 'status' => 503, 'error' => 'storage_unavailable' ),
			array( 'commit' => false, 'status' => 429, 'error' => 'rate_limited' )
		);
		list( $id ) = self::form_fields( $this->render_tab() );
		$this->post_redeem( 600, $id );
		foreach ( array( 'storage_unavailable', 'rate_limited' ) as $refusal ) {
			$this->post_redeem( 600, $id );
			$html = $this->render_tab();
			$this->assertStringContainsString( self::NOT_CONFIRMED, self::text( $html ), "$refusal says nothing about the lost try before it" );
			$this->assertSame( $id, self::form_fields( $html )[0], "after $refusal the form still finishes the same redemption" );
		}
		$this->post_redeem( 600, $id );
		$fake = $this->fake();
		$this->assertCount( 1, $fake['redemptions'] );
		$this->assertStringContainsString( 'Your code is ' . $fake['redemptions'][0]['code'], self::text( $this->render_tab() ) );
		$this->assertSame( '', get_user_meta( get_current_user_id(), 'rewardd_pending_redemption', true ) );
	}

	public function test_what_happens_when_another_form_is_submitted_after_a_lost_answer(): void {
		list( $first ) = self::form_fields( $this->render_tab() );
		list( $other ) = self::form_fields( $this->render_tab() ); // A second tab, opened before.
		$this->lose_redeem_answers( array( 'commit' => true, 'status' => 502, 'error' => 'bad_gateway' ) );
		$this->post_redeem( 600, $first );
		$this->post_redeem( 700, $other );
		$fake = $this->fake();
		$this->assertSame( array( array( $first, 600 ) ), array_map( null, array_column( $fake['redemptions'], 'id' ), array_column( $fake['redemptions'], 'points' ) ), 'the other form finished the first redemption, it did not start a second one' );
		$this->assertSame( $first, json_decode( $this->last_request( '/api/v1/redeem' )['body'], true )['redemption_id'] );
		$this->assertStringContainsString( 'Your code is ' . $fake['redemptions'][0]['code'], self::text( $this->render_tab() ) );
	}

	/**
	 * Makes the fake lose the answers of the next redeem requests (routes.php fake_redeem).
	 *
	 * @param array<string, mixed> ...$faults One per request.
	 */
	private function lose_redeem_answers( array ...$faults ): void {
		$this->fake_update(
			static function ( array $s ) use ( $faults ) {
				$s['redeem_faults'] = $faults;
				return $s;
			}
		);
	}

	/**
	 * The Redeem form's redemption id, points and whether the points are fixed (readonly).
	 *
	 * @param string $html The tab.
	 * @return array{0: string, 1: string, 2: bool}
	 */
	private static function form_fields( string $html ): array {
		$xpath  = self::dom( $html );
		$id     = $xpath->query( '//form[contains(@class,"rewardd-redeem-form")]//input[@name="rewardd_redemption_id"]' )->item( 0 );
		$points = $xpath->query( '//form[contains(@class,"rewardd-redeem-form")]//input[@name="rewardd_points"]' )->item( 0 );
		if ( null === $id || null === $points ) {
			throw new \PHPUnit\Framework\AssertionFailedError( 'no Redeem form in: ' . self::text( $html ) );
		}
		return array( $id->getAttribute( 'value' ), $points->getAttribute( 'value' ), $points->hasAttribute( 'readonly' ) );
	}

	/**
	 * The fake's code for a redemption id (routes.php).
	 *
	 * @param string $id Redemption id.
	 */
	private function expected_code( string $id ): string {
		return 'RWD-' . strtoupper( substr( md5( self::SHOP_ID . ':' . $id ), 0, 8 ) );
	}

	/**
	 * The fake's last request to a path.
	 *
	 * @param string $path Path.
	 * @return array<string, mixed>
	 */
	private function last_request( string $path ): array {
		$matching = array_values( array_filter( $this->fake()['requests'], static function ( $r ) use ( $path ) { return $path === $r['path']; } ) );
		$this->assertNotEmpty( $matching, "a request to $path" );
		return end( $matching );
	}

	/**
	 * The Rewards tab as Kari.
	 */
	private function render_tab(): string {
		wp_set_current_user( $this->customer( 'kari', self::EMAIL )->ID );
		return $this->capture(
			static function () {
				do_action( 'woocommerce_account_rewards_endpoint', '' );
			}
		);
	}

	/**
	 * Submits the Redeem form as Kari and returns the redirect.
	 *
	 * @param int    $points Points.
	 * @param string $id     The form's redemption id.
	 */
	private function post_redeem( int $points, string $id ): string {
		wp_set_current_user( $this->customer( 'kari', self::EMAIL )->ID );
		$_POST   = array(
			'rewardd_action'        => 'redeem',
			'rewardd_points'        => (string) $points,
			'rewardd_redemption_id' => $id,
			'_wpnonce'              => wp_create_nonce( 'rewardd_redeem' ),
		);
		$handler = $this->service( 'redemption' );
		$this->assertSame( 20, has_action( 'wp_loaded', array( $handler, 'handle_form' ) ), 'the form is handled on wp_loaded' );
		try {
			$handler->handle_form();
		} catch ( Redirect $redirect ) {
			return $redirect->getMessage();
		} finally {
			$_POST = array();
		}
		$this->fail( 'no redirect after redeem' );
	}
}
