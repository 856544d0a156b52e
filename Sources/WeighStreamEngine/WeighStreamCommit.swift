/// The git commit of a release build: the Dockerfile writes it here (`--build-arg GIT_COMMIT=...`), where no
/// repository is at hand. Left as `unknown` in the repository.
enum WeighStreamCommit {
    static let sha = "unknown"
}
