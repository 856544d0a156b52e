/// This release of WeighStream, as `weighstream --version` prints it and `weighstream_build_info` labels it.
public enum WeighStreamVersion {
    public static let version = "1.1.0"
}
