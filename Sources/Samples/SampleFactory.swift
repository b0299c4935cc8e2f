public enum SampleFactory {}
