<?php
/**
 * One answer from the rewardd daemon, or the reason there was none.
 * A plain value object; depends on nothing.
 *
 * @package Rewardd
 */

namespace Rewardd;

defined( 'ABSPATH' ) || exit;

/**
 * Status, decoded JSON body and the daemon's stable error id.
 */
final class ApiResult {

	/**
	 * Error id used when the daemon could not be reached at all.
	 */
	const UNREACHABLE = 'unreachable';

	/**
	 * Error id used when the plugin has no URL or token yet.
	 */
	const NOT_CONFIGURED = 'not_configured';

	/**
	 * HTTP status, 0 when there was no answer.
	 *
	 * @var int
	 */
	private $status;

	/**
	 * Decoded JSON body.
	 *
	 * @var array<string, mixed>
	 */
	private $data;

	/**
	 * Stable error id ('' on success).
	 *
	 * @var string
	 */
	private $error;

	/**
	 * Human sentence describing the error ('' on success).
	 *
	 * @var string
	 */
	private $message;

	/**
	 * Builds a result.
	 *
	 * @param int                  $status  HTTP status or 0.
	 * @param array<string, mixed> $data    Decoded body.
	 * @param string               $error   Error id or ''.
	 * @param string               $message Error sentence or ''.
	 */
	public function __construct( int $status, array $data, string $error = '', string $message = '' ) {
		$this->status  = $status;
		$this->data    = $data;
		$this->error   = $error;
		$this->message = $message;
	}

	/**
	 * A result for a request that got no HTTP answer.
	 *
	 * @param string $error   Error id.
	 * @param string $message Sentence.
	 */
	public static function failure( string $error, string $message ): self {
		return new self( 0, array(), $error, $message );
	}

	/**
	 * True for a 2xx answer.
	 */
	public function ok(): bool {
		return $this->status >= 200 && $this->status < 300;
	}

	/**
	 * True when the daemon answered at all (any status).
	 */
	public function answered(): bool {
		return $this->status > 0;
	}

	/**
	 * HTTP status, 0 when unanswered.
	 */
	public function status(): int {
		return $this->status;
	}

	/**
	 * The decoded JSON body.
	 *
	 * @return array<string, mixed>
	 */
	public function data(): array {
		return $this->data;
	}

	/**
	 * The stable error id, '' on success.
	 */
	public function error(): string {
		return $this->error;
	}

	/**
	 * The error sentence, '' on success.
	 */
	public function message(): string {
		return $this->message;
	}
}
